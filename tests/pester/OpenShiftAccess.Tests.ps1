#Requires -Version 7.4
# Grant-AzMLK8sOpenShiftAccess as a user calls it on the emulator's OpenShift cluster (arc-ocp): the service accounts it
# adds to the privileged SCC and those it keeps, -WhatIf and confirmation, the parameter sets and the pipeline, the
# check Test-AzMLK8sPrerequisite makes of it, and that no token or kubeconfig credential shows.
# It grants only for what is there: an installed AzureML extension of that name, and a valid namespace that exists.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/CrossCutting.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator -Emulator $Emulator | Out-Null
    $script:Canary = Get-CanaryToken
    $script:Group = $Emulator.ResourceGroup
    $script:Ocp = $Emulator.ClusterId['arc-ocp']
    $script:Kubeconfig = Save-TestKubeconfig -Emulator $Emulator -ClusterResourceId $Ocp -Path (Join-Path $TestDrive 'ocp.kubeconfig') -ArmToken $Canary
    $script:Target = "SecurityContextConstraints 'privileged' on $Ocp"

    # The users of the privileged SCC, read from the cluster as `oc get scc privileged` would.
    function script:Get-PrivilegedUser {
        @((Invoke-TestKubernetesApi -Kubeconfig $Kubeconfig -ApiPath '/apis/security.openshift.io/v1/securitycontextconstraints/privileged').users)
    }

    # What the grant needs on the cluster: the AzureML extensions it grants for, and the compute namespaces.
    foreach ($name in 'azureml', 'aml-ext') {
        $null = New-AzMLK8sExtension -ClusterResourceId $Ocp -Name $name -EnableTraining -ErrorAction Stop -WarningAction SilentlyContinue
    }
    $null = New-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -EnableTraining -ErrorAction Stop -WarningAction SilentlyContinue
    foreach ($namespace in 'team-b', 'team-c', 'team-d') {
        $body = @{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = $namespace } } | ConvertTo-Json
        $null = Invoke-RestMethod -Method Post -SkipCertificateCheck -Uri ($Kubeconfig.Server.TrimEnd('/') + '/api/v1/namespaces') `
            -Headers @{ Authorization = "Bearer $($Kubeconfig.Secret)" } -ContentType 'application/json' -Body $body
    }

    $script:Initial = Get-PrivilegedUser
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Grant-AzMLK8sOpenShiftAccess' {
    BeforeEach {
        $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
    }

    It 'with -WhatIf says which account it would add to the privileged SCC, one line each, and adds none; the default namespace''s own account is not one' {
        $run = Invoke-Transcribed -Path (Join-Path $TestDrive 'whatif.txt') -ScriptBlock { Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp -WhatIf }

        $lines = @($run.Transcript -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $lines | Should -HaveCount 11
        $lines | ForEach-Object { $_ | Should -Match "^What if: Performing the operation `"Add user 'system:serviceaccount:[^']+'`" on target `"$([regex]::Escape($Target))`"\.$" }
        $lines | Where-Object { $_ -match 'system:serviceaccount:azureml:azureml-kube-state-metrics' } | Should -HaveCount 1
        $lines | Where-Object { $_ -match 'system:serviceaccount:default:default' } | Should -BeNullOrEmpty
        $run.Output.Status | Should -Be 'Skipped'
        $run.Output.Detail | Should -Match '11 not added \(-WhatIf, or answered No\)'
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
        Get-PrivilegedUser | Should -Be $Initial
    }

    It 'in a process that cannot ask, under $ConfirmPreference = ''Medium'', adds nobody and raises an error' {
        $result = Invoke-Pwsh -NonInteractive -Script ((Get-TestEmulatorSignIn -Emulator $Emulator) + @"

`$ConfirmPreference = 'Medium'
Grant-AzMLK8sOpenShiftAccess -ClusterResourceId '$Ocp' -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
"errors=`$(@(`$failed).Count)"
"@)

        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Match 'errors=1'
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
        Get-PrivilegedUser | Should -Be $Initial
    }

    It 'adds an extension''s and a compute namespace''s twelve accounts once, keeps the users already there, and a second run changes nothing' {
        $first = Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp -ExtensionName aml-ext -Namespace team-a
        $afterFirst = Get-PrivilegedUser
        $writesOfFirst = @(Get-EmulatorWrite -Emulator $Emulator -Since $Before)
        $beforeSecond = Get-EmulatorRequestCount -Emulator $Emulator
        $second = Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp -ExtensionName aml-ext -Namespace team-a

        $added = @($afterFirst | Where-Object { $_ -notin $Initial })
        $added | Should -HaveCount 12
        $added | Should -Contain 'system:serviceaccount:azureml:aml-ext-kube-state-metrics'
        $added | Should -Contain 'system:serviceaccount:team-a:default'
        $added | Should -Contain 'system:serviceaccount:azure-arc:azure-arc-kube-aad-proxy-sa'
        $Initial | ForEach-Object { $afterFirst | Should -Contain $_ }
        ($afterFirst | Sort-Object -Unique).Count | Should -Be $afterFirst.Count
        $writesOfFirst | Should -HaveCount 12
        $first.Name | Should -Be 'Cluster.OpenShiftSccGrants'
        $first.Status | Should -Be 'Pass'
        $first.Target | Should -Be $Ocp
        $first.Detail | Should -Match '^12 service account\(s\) added to the privileged SCC: '
        $second.Status | Should -Be 'Pass'
        $second.Detail | Should -Be '0 service account(s) added to the privileged SCC; 12 already there.'
        Get-EmulatorWrite -Emulator $Emulator -Since $beforeSecond | Should -BeNullOrEmpty
        Get-PrivilegedUser | Should -Be $afterFirst
    }

    It 'is what Test-AzMLK8sPrerequisite asks for: its OpenShift check fails with the exact command, which makes it pass' {
        $check = Test-AzMLK8sPrerequisite -ClusterResourceId $Ocp -ExtensionName aml-ext -Namespace team-b | Where-Object Name -EQ 'Cluster.OpenShiftSccGrants'
        $check.Status | Should -Be 'Fail'
        $check.Detail | Should -Match 'system:serviceaccount:team-b:default'
        $check.Fix | Should -Be "Grant-AzMLK8sOpenShiftAccess -ClusterResourceId '$Ocp' -ExtensionName aml-ext -Namespace team-b"

        $granted = Invoke-Expression $check.Fix

        $granted.Status | Should -Be 'Pass'
        (Test-AzMLK8sPrerequisite -ClusterResourceId $Ocp -ExtensionName aml-ext -Namespace team-b | Where-Object Name -EQ 'Cluster.OpenShiftSccGrants').Status | Should -Be 'Pass'
    }

    It 'finds the cluster by -ClusterName, -ResourceGroupName and -ClusterType' {
        $result = Grant-AzMLK8sOpenShiftAccess -ClusterName arc-ocp -ResourceGroupName $Group -ClusterType Arc -ExtensionName aml-ext -Namespace team-a

        $result.Target | Should -Be $Ocp
        $result.Detail | Should -Match '12 already there'
    }

    It 'takes the cluster from a piped object''s ClusterId property (the alias of -ClusterResourceId)' {
        $result = [pscustomobject]@{ ClusterId = $Ocp } | Grant-AzMLK8sOpenShiftAccess -ExtensionName aml-ext -Namespace team-a

        $result.Target | Should -Be $Ocp
        $result.Status | Should -Be 'Pass'
    }

    It 'refuses a cluster that is not OpenShift, says so, and adds nothing' {
        $aks = $Emulator.ClusterId['aks-demo']

        $result = Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $aks -ErrorAction SilentlyContinue -ErrorVariable failed

        $result | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'NotOpenShift,AzMLK8s.Cmdlets.Prerequisites.GrantAzMLK8sOpenShiftAccessCommand'
        $failed[0].Exception.Message | Should -Match 'is not OpenShift'
        $failed[0].TargetObject | Should -Be $aks
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
        { Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $aks -ErrorAction Stop } | Should -Throw -ErrorId 'NotOpenShift,*'
    }

    It 'shows Status, Name and Detail in its default table view' {
        $text = Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp -ExtensionName aml-ext -Namespace team-a | Out-String -Width 300

        $text | Should -Match '(?m)^Status\s+Name\s+Detail\s+Fix\s*$'
        $text | Should -Match '(?m)^Pass\s+Cluster\.OpenShiftSccGrants\s+0 service account'
    }

    It 'never shows the ARM token or the kubeconfig''s credential: streams, transcript, $Error, JSON and CliXml of the result' {
        $canaries = @($Canary, $Kubeconfig.Secret)
        $clixml = Join-Path $TestDrive 'grant.xml'
        $Error.Clear()

        $run = Invoke-Transcribed -Path (Join-Path $TestDrive 'grant.txt') -ScriptBlock {
            $DebugPreference = 'Continue'
            $script:Granted = Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp -KubeconfigPath $Kubeconfig.Path -Namespace team-c -Verbose
            Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp -KubeconfigPath $Kubeconfig.Path -Namespace team-c -Verbose *>&1 | Out-String -Width 4096
            Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Emulator.ClusterId['aks-demo'] -ErrorAction SilentlyContinue
        }
        $Granted | Export-Clixml -Path $clixml

        $Granted.Detail | Should -Match 'system:serviceaccount:team-c:default'
        $run.Output | Assert-NoCanary -Canary $canaries
        $run.Transcript | Assert-NoCanary -Canary $canaries
        Get-Content -Raw $clixml | Assert-NoCanary -Canary $canaries
        $Granted | ConvertTo-Json -Depth 5 | Assert-NoCanary -Canary $canaries
        $Error | Out-String -Width 4096 | Assert-NoCanary -Canary $canaries
    }
}

Describe 'What Grant-AzMLK8sOpenShiftAccess refuses before it grants anything' {
    BeforeEach {
        $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
        $script:UsersBefore = Get-PrivilegedUser
    }

    It 'refuses <Case> with <ErrorId>, names the next step, and adds no account to the privileged SCC' -ForEach @(
        @{ Case = 'an extension name that is not installed'; Arguments = @{ ExtensionName = 'nope' }; ErrorId = 'OpenShift.AzureMLExtensionNotFound'; Next = '-ExtensionName (azureml|aml-ext)' }
        @{ Case = 'a namespace that is not a DNS-1123 label'; Arguments = @{ Namespace = 'Bad_NS' }; ErrorId = 'OpenShift.InvalidNamespace'; Next = 'namespace' }
        @{ Case = 'a namespace that does not exist'; Arguments = @{ Namespace = 'team-nowhere' }; ErrorId = 'OpenShift.NamespaceNotFound'; Next = '-CreateNamespace' }
    ) {
        Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp @Arguments -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be "$ErrorId,AzMLK8s.Cmdlets.Prerequisites.GrantAzMLK8sOpenShiftAccessCommand"
        $failed[0].Exception.Message | Should -Match 'Nothing was granted'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match $Next
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
        Get-PrivilegedUser | Should -Be $UsersBefore
    }

    It 'with -WhatIf lists the exact accounts of the extension''s release namespace and the compute namespace' {
        $run = Invoke-Transcribed -Path (Join-Path $TestDrive 'whatif-exact.txt') -ScriptBlock {
            Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $Ocp -ExtensionName aml-ext -Namespace team-d -WhatIf
        }

        $accounts = @($run.Transcript -split "`r?`n" | Where-Object { $_ -like 'What if:*' } | ForEach-Object { ([regex]::Match($_, "Add user '([^']+)'")).Groups[1].Value })
        $accounts | Should -Contain 'system:serviceaccount:team-d:default'
        $accounts | Where-Object { $_ -notmatch '^system:serviceaccount:(azure-arc|azureml|team-d):' } | Should -BeNullOrEmpty
        Get-PrivilegedUser | Should -Be $UsersBefore
    }
}
