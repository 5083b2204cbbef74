#Requires -Version 7.4
# Test-AzMLK8sExtension as a user runs it: a healthy extension with every expected workload ready; a cluster broken
# the way clusters break (a deployment gone, one not ready, a pod that cannot pull its image, health-check codes) with
# cause and fix; a failed extension's Azure state; a cluster API out of reach; -Wait that gives up; the table views;
# the parameter sets and the pipeline.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Extensions.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-ExtensionTestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']
    Connect-TestEmulator -Emulator $Emulator | Out-Null
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Test-AzMLK8sExtension' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc
    }

    Context 'a fresh extension' {
        # Expected workloads by scenario: 16 for training, 13 for inference, 20 for both (the seed's table).
        It 'with <Scenario> on <Type> is healthy with all <Expected> expected workloads ready' -ForEach @(
            @{ Type = 'Aks'; Scenario = 'training'; Expected = 16 }
            @{ Type = 'Arc'; Scenario = 'inference over HTTP'; Expected = 13 }
            @{ Type = 'Aks'; Scenario = 'training and inference over HTTPS'; Expected = 20 }
        ) {
            $clusterId = if ($Type -eq 'Aks') { $Aks } else { $Arc }
            $parameters = @{ ClusterResourceId = $clusterId }
            if ($Scenario -match 'training') { $parameters.EnableTraining = $true }
            if ($Scenario -match 'inference') { $parameters.EnableInference = $true }
            if ($Scenario -match 'HTTPS') {
                $pem = New-TestPemPair -Directory $TestDrive -Name "health-$Type"
                $parameters += @{ SslCertificatePath = $pem.Certificate; SslKeyPath = $pem.Key; SslCname = 'ml.contoso.com' }
            }
            elseif ($Scenario -match 'HTTP') { $parameters.AllowInsecureConnection = $true }
            New-AzMLK8sExtension @parameters -WarningAction SilentlyContinue | Out-Null

            $run = Invoke-Captured -NoTranscript { Test-AzMLK8sExtension -ClusterResourceId $clusterId }

            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 1
            $report = $run.Output[0]
            $report.PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Extensions.AzMLK8sExtensionHealth'
            $report.Status | Should -Be 'Healthy'
            $report.ClusterChecked | Should -BeTrue
            $report.WorkloadsReady | Should -Be "$Expected/$Expected"
            @($report.Findings | Where-Object { $_.Area -eq 'Workload' -and $_.Status -eq 'Pass' }) | Should -HaveCount $Expected
            @($report.Findings | Where-Object { $_.Area -eq 'HealthCheck' -and $_.Status -eq 'Pass' }) | Should -Not -BeNullOrEmpty
            $report.FailureCount | Should -Be 0
        }
    }

    Context 'a broken cluster' {
        It 'names the missing workload, the one not ready, the failing pod and each health-check code with its cause and fix' {
            $pem = New-TestPemPair -Directory $TestDrive -Name broken
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableInference -SslCertificatePath $pem.Certificate -SslKeyPath $pem.Key -SslCname ml.contoso.com | Out-Null
            # What kubectl delete, a stuck rollout, an image that cannot be pulled and a failed health check leave behind.
            $null = Invoke-ClusterApi -Emulator $Emulator -ClusterId $Aks -Method DELETE -Path /apis/apps/v1/namespaces/azureml/deployments/azureml-fe
            $null = Invoke-ClusterApi -Emulator $Emulator -ClusterId $Aks -Method PATCH -Path /apis/apps/v1/namespaces/azureml/deployments/gateway `
                -Body @{ status = @{ replicas = 1; readyReplicas = 0 } }
            $null = Set-ClusterObject -Emulator $Emulator -ClusterId $Aks -Collection /api/v1/namespaces/azureml/pods -Name gateway-0 -Body @{
                metadata = @{ labels = @{ app = 'gateway' } }
                status   = @{ phase = 'Pending'; containerStatuses = @(@{ restartCount = 3; state = @{ waiting = @{ reason = 'ImagePullBackOff' } } }) }
            }
            $null = Set-ClusterObject -Emulator $Emulator -ClusterId $Aks -Collection /api/v1/namespaces/azureml/configmaps -Name arcml-healthcheck -Body @{
                data = @{ 'pre-upgrade' = "status: failed`nerrors: E40007 INVALID_SSL_SETTING; E45002" }
            }

            $report = Test-AzMLK8sExtension -ClusterResourceId $Aks

            $report.Status | Should -Be 'Unhealthy'
            $missing = @($report.Findings | Where-Object Subject -eq 'Deployment/azureml-fe')
            $missing | Should -HaveCount 1
            $missing[0].Status | Should -Be 'Fail'
            $missing[0].Detail | Should -Match 'missing'
            ($report.Findings | Where-Object Subject -eq 'Deployment/gateway').Detail | Should -Match '^0/1'
            $pods = @($report.Findings | Where-Object Area -eq 'Pod')
            $pods | Should -HaveCount 1
            $pods[0].Subject | Should -Be 'gateway-0'
            $pods[0].Detail | Should -Match 'ImagePullBackOff'
            $ssl = @($report.Findings | Where-Object { $_.Subject -like 'E40007*' })
            $ssl | Should -HaveCount 1
            $ssl[0].Detail | Should -Match 'sslCname'
            $ssl[0].Fix | Should -Match '-SslCertificatePath'
            ($report.Findings | Where-Object Subject -eq 'E45002 PROMETHEUS_CONFLICT').Fix | Should -Match 'installPromOp'
            $report.Summary | Should -Not -BeNullOrEmpty
        }

        It 'shows the findings through the module''s table view: Area, Subject, Status, Detail, Fix' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
            $null = Invoke-ClusterApi -Emulator $Emulator -ClusterId $Aks -Method DELETE -Path /apis/apps/v1/namespaces/azureml/statefulsets/frameworkcontroller

            $report = Test-AzMLK8sExtension -ClusterResourceId $Aks
            $text = $report.Findings | Where-Object Status -ne 'Pass' | Out-String -Width 300

            $text | Should -Match 'Area\s+Subject\s+Status\s+Detail\s+Fix'
            $text | Should -Match 'Workload\s+StatefulSet/frameworkcontroller\s+Fail'
        }
    }

    Context 'a failed extension' {
        It 'reports its Azure state and the service''s messages, taken by the extension''s resource id' {
            New-AzMLK8sExtension -ClusterResourceId $Arc -EnableInference -AllowInsecureConnection -ConfigurationSetting @{ inferenceRouterHA = $true } `
                -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null

            $report = Test-AzMLK8sExtension -ResourceId (Get-ExtensionId -ClusterId $Arc)

            $report.Status | Should -Be 'Unhealthy'
            $report.ProvisioningState | Should -Be 'Failed'
            $state = @($report.Findings | Where-Object { $_.Area -eq 'Azure' -and $_.Subject -eq 'ProvisioningState' })
            $state | Should -HaveCount 1
            $state[0].Status | Should -Be 'Fail'
            $state[0].Detail | Should -Match 'ExtensionOperationFailed'
            ($report.Findings | Where-Object { $_.Area -eq 'Azure' -and $_.Subject -eq 'Status' }).Detail | Should -Match 'InferenceRouterUnschedulable'
        }
    }

    Context 'a cluster API out of reach' {
        It 'says why the workloads were not checked and checks no workload' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
            $unreachable = New-UnreachableKubeconfig -Path (Join-Path $TestDrive 'unreachable.kubeconfig')

            $report = Test-AzMLK8sExtension -ClusterResourceId $Aks -KubeconfigPath $unreachable -WarningAction SilentlyContinue

            $report.Status | Should -Be 'Degraded'
            $report.ClusterChecked | Should -BeFalse
            $report.ClusterApiDetail | Should -Not -BeNullOrEmpty
            @($report.Findings | Where-Object { $_.Area -eq 'ClusterApi' -and $_.Status -eq 'Skipped' }) | Should -Not -BeNullOrEmpty
            $report.Findings | Where-Object Area -eq 'Workload' | Should -BeNullOrEmpty
        }

        It 'refuses a kubeconfig path that does not exist: the user''s mistake is an error, not a report' {
            { Test-AzMLK8sExtension -ClusterResourceId $Aks -KubeconfigPath (Join-Path $TestDrive 'no-such-kubeconfig') -ErrorAction Stop } |
                Should -Throw -ErrorId 'FileNotFound,AzMLK8s.Cmdlets.Extensions.TestAzMLK8sExtensionCommand'
            $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $Error[0].ErrorDetails.RecommendedAction | Should -Match '-KubeconfigPath'
        }
    }

    Context 'a kubeconfig of the user''s' {
        It 'is read from a path relative to the PowerShell location, with the context named by -KubeContext' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
            $credential = Invoke-EmulatorArm -Emulator $Emulator -Method POST -Path "$Aks/listClusterUserCredential" -ApiVersion '2025-01-01'
            $folder = Join-Path $TestDrive kube
            $null = New-Item -ItemType Directory -Path $folder
            [IO.File]::WriteAllBytes((Join-Path $folder config), [Convert]::FromBase64String($credential.kubeconfigs[0].value))
            $since = Get-EmulatorRequestCount -Emulator $Emulator

            Push-Location $folder
            try {
                $report = Test-AzMLK8sExtension -ClusterResourceId $Aks -KubeconfigPath ./config -KubeContext aks-demo
            }
            finally {
                Pop-Location
            }

            $report.ClusterChecked | Should -BeTrue
            $report.Status | Should -Be 'Healthy'
            # The module used the file: it did not ask ARM for the cluster's credentials itself.
            Get-EmulatorRequest -Emulator $Emulator -Since $since | Where-Object path -match 'listClusterUserCredential$' | Should -BeNullOrEmpty
        }

        It 'names a context that is not in the kubeconfig and checks no workload' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
            $credential = Invoke-EmulatorArm -Emulator $Emulator -Method POST -Path "$Aks/listClusterUserCredential" -ApiVersion '2025-01-01'
            $path = Join-Path $TestDrive config
            [IO.File]::WriteAllBytes($path, [Convert]::FromBase64String($credential.kubeconfigs[0].value))

            $report = Test-AzMLK8sExtension -ClusterResourceId $Aks -KubeconfigPath $path -KubeContext no-such-context

            $report.ClusterChecked | Should -BeFalse
            $report.ClusterApiDetail | Should -Match 'no-such-context'
            $report.Findings | Where-Object Area -eq 'Workload' | Should -BeNullOrEmpty
        }
    }

    Context '-Wait' {
        It 'gives up after -TimeoutSeconds with the last report and a HealthTimeout error that names what is failing' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
            $null = Invoke-ClusterApi -Emulator $Emulator -ClusterId $Aks -Method DELETE -Path /apis/apps/v1/namespaces/azureml/statefulsets/frameworkcontroller

            $run = Invoke-Captured -NoTranscript { Test-AzMLK8sExtension -ClusterResourceId $Aks -Wait -TimeoutSeconds 1 -IntervalSeconds 1 }

            $run.Output | Should -HaveCount 1
            $run.Output[0].Status | Should -Be 'Unhealthy'
            $run.Errors | Should -HaveCount 1
            $run.Errors[0] | Get-ErrorId | Should -Be 'Extension.HealthTimeout'
            $run.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $run.Errors[0].ToString() | Should -Match 'frameworkcontroller'
            $run.Errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'with -ErrorAction Stop ends the script on the timeout, after writing the last report' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
            $null = Invoke-ClusterApi -Emulator $Emulator -ClusterId $Aks -Method DELETE -Path /apis/apps/v1/namespaces/azureml/statefulsets/frameworkcontroller
            $reports = [Collections.Generic.List[object]]::new()

            { Test-AzMLK8sExtension -ClusterResourceId $Aks -Wait -TimeoutSeconds 1 -IntervalSeconds 1 -ErrorAction Stop | ForEach-Object { $reports.Add($_) } } |
                Should -Throw -ErrorId 'Extension.HealthTimeout,AzMLK8s.Cmdlets.Extensions.TestAzMLK8sExtensionCommand'

            $reports | Should -HaveCount 1
            $reports[0].Status | Should -Be 'Unhealthy'
        }
    }

    Context 'errors, views, parameter sets and the pipeline' {
        It 'a missing extension is an error with the command that installs it' {
            Test-AzMLK8sExtension -ClusterResourceId $Arc -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

            $failure | Should -HaveCount 1
            $failure[0] | Get-ErrorId | Should -Be 'Extension.NotFound'
            $failure[0].ErrorDetails.RecommendedAction | Should -Match 'New-AzMLK8sExtension'
        }

        It 'shows the module''s table view by default: Name, ClusterName, Status, ProvisioningState, WorkloadsReady, FailureCount, Summary' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null

            $text = Test-AzMLK8sExtension -ClusterResourceId $Aks | Out-String -Width 300

            $text | Should -Match 'Name\s+Cluster\s+Status\s+State\s+Workloads\s+Failures\s+Summary'
            $text | Should -Match 'azureml\s+aks-demo\s+Healthy\s+Succeeded\s+16/16\s+0'
            $text | Should -Not -Match 'Findings'
        }

        It 'takes the cluster by name, resource group and type, and a name' {
            New-AzMLK8sExtension -ClusterResourceId $Arc -Name ml-two -EnableTraining -WarningAction SilentlyContinue | Out-Null

            $report = Test-AzMLK8sExtension -ClusterName arc-demo -ResourceGroupName rg-demo -ClusterType Arc -Name ml-two

            $report.Name | Should -Be 'ml-two'
            $report.ClusterResourceId | Should -Be $Arc
        }

        It 'takes a report from the pipeline by property name: the report of each extension checks it again' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
            New-AzMLK8sExtension -ClusterResourceId $Arc -Name ml-two -EnableTraining -WarningAction SilentlyContinue | Out-Null
            $reports = @((Test-AzMLK8sExtension -ClusterResourceId $Aks), (Test-AzMLK8sExtension -ClusterResourceId $Arc -Name ml-two))

            $again = $reports | Test-AzMLK8sExtension

            ($again | ForEach-Object { "$($_.ClusterName)/$($_.Name)" }) | Sort-Object | Should -Be @('aks-demo/azureml', 'arc-demo/ml-two')
            $again.Status | Should -Be @('Healthy', 'Healthy')
        }

        It 'converts to JSON with its findings' {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null

            $json = Test-AzMLK8sExtension -ClusterResourceId $Aks | ConvertTo-Json -Depth 5 | ConvertFrom-Json

            $json.WorkloadsReady | Should -Be '16/16'
            @($json.Findings | Where-Object Area -eq 'Workload') | Should -HaveCount 16
        }
    }
}
