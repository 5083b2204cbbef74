#Requires -Version 7.4
# -AsJob on the long-running cmdlets: a PowerShell job that runs the same command with the caller's sign-in, whose
# typed results and errors Receive-Job returns, which Wait-Job waits for and Stop-Job stops.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator -OperationMilliseconds 1500
    $null = Connect-TestEmulator -Emulator $Emulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']
    $script:Fingerprint = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes((Get-CanaryToken)))).Substring(0, 16)
}

AfterAll {
    Get-Job | Where-Object PSJobTypeName -eq 'AzMLK8sJob' | Remove-Job -Force
    $script:Emulator | Stop-TestEmulator
}

Describe 'New-AzMLK8sExtension -AsJob' {
    It 'returns a running job at once; Wait-Job and Receive-Job give the typed extension, sent with the caller''s token' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $job = New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -AsJob

        $job | Should -BeOfType [System.Management.Automation.Job]
        $job.PSJobTypeName | Should -Be 'AzMLK8sJob'
        $job.Command | Should -Be 'New-AzMLK8sExtension -ClusterResourceId -EnableTraining'
        Get-Job -Id $job.Id | Should -Not -BeNullOrEmpty
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Completed'
        $extension = $job | Receive-Job
        $extension | Should -BeOfType ([type]'AzMLK8s.Model.Extensions.AzMLK8sExtension')
        $extension.ProvisioningState | Should -Be 'Succeeded'
        $extension.TrainingEnabled | Should -BeTrue
        (Get-EmulatorRequest -Emulator $Emulator -Since $before | Where-Object path -notmatch '^/k8s/').bearerFingerprint |
            Select-Object -Unique | Should -Be $Fingerprint
    }

    It 'runs -WhatIf here, not as a job, and changes nothing' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $result = New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -AsJob -WhatIf

        $result | Should -BeNullOrEmpty
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }

    It 'reports a refused input as the job''s error, with its id, and ends Completed' {
        $job = New-AzMLK8sExtension -ClusterResourceId ($Aks -replace 'aks-demo', 'no-such-cluster') -EnableTraining -AsJob
        $job | Wait-Job -Timeout 60 | Out-Null

        $job | Receive-Job -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be 'Extension.ClusterNotFound,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand'
    }
}

Describe 'Stop-Job' {
    It 'stops a job waiting on a removal within a second; the removal Azure accepted goes on there' {
        $null = New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -ErrorAction Stop
        $job = Remove-AzMLK8sExtension -ClusterResourceId $Arc -AsJob -Confirm:$false
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not (Get-EmulatorRequest -Emulator $Emulator | Where-Object { $_.method -eq 'DELETE' -and $_.path -like '*arc-demo*' }) -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 50
        }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $job | Stop-Job
        $clock.Stop()

        $job.State | Should -Be 'Stopped'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
        $job | Receive-Job -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Questions and -AsJob' {
    It 'asks ShouldProcess before the job starts: in a pwsh that cannot ask, Remove -AsJob is ConfirmationRequired and starts no job' {
        $run = Invoke-Pwsh -NonInteractive -Script @"
$(Get-TestEmulatorSignIn -Emulator $Emulator)
Remove-AzMLK8sExtension -ClusterResourceId '$Aks' -AsJob
"JOBS: `$(@(Get-Job).Count) IDS: `$(`$Error[0].FullyQualifiedErrorId)"
"@
        $run.Output | Should -Match 'JOBS: 0 IDS: ConfirmationRequired,AzMLK8s.Cmdlets.Extensions.RemoveAzMLK8sExtensionCommand'
    }

    It 'a disruptive update in a job cannot be asked about: the job fails it with ConfirmationRequired naming -Force; with -Force it goes through' {
        $change = @{ ClusterResourceId = $Aks; EnableTraining = $false; EnableInference = $true; InferenceRouterServiceType = 'NodePort'; AllowInsecureConnection = $true }
        $refused = Update-AzMLK8sExtension @change -AsJob -WarningAction SilentlyContinue
        $refused | Wait-Job -Timeout 60 | Out-Null
        $refused | Receive-Job -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null

        ($failure | Where-Object FullyQualifiedErrorId -like 'ConfirmationRequired,*') | Should -Not -BeNullOrEmpty
        ($failure | Out-String) | Should -Match '-Force'

        $forced = Update-AzMLK8sExtension @change -Force -AsJob -WarningAction SilentlyContinue
        $updated = $forced | Wait-Job -Timeout 60 | Receive-Job -WarningAction SilentlyContinue
        $forced.State | Should -Be 'Completed'
        $updated.InferenceEnabled | Should -BeTrue
        $updated.TrainingEnabled | Should -BeFalse
    }
}

Describe 'Connect-AzMLK8sCompute and Disconnect-AzMLK8sCompute -AsJob' {
    It 'attaches and detaches in jobs, each result typed' {
        $attach = Get-AzMLK8sExtension -ClusterResourceId $Aks | Connect-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo `
            -Name job-compute -Namespace team-a -IdentityType SystemAssigned -AsJob
        $compute = $attach | Wait-Job -Timeout 60 | Receive-Job

        $compute | Should -BeOfType ([type]'AzMLK8s.Model.Computes.AzMLK8sCompute')
        $compute.ProvisioningState | Should -Be 'Succeeded'

        $detach = $compute | Disconnect-AzMLK8sCompute -AsJob -Confirm:$false -PassThru
        $detached = $detach | Wait-Job -Timeout 60 | Receive-Job
        $detach.State | Should -Be 'Completed'
        $detached.Name | Should -Be 'job-compute'
        Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo | Where-Object Name -eq 'job-compute' | Should -BeNullOrEmpty
    }
}
