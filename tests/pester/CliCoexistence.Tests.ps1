#Requires -Version 7.4
# Living beside the Azure CLI: the Relay, Log Analytics and Service Bus resources the module finds, reuses or creates
# are the ones the CLI's AzureML logic (az k8s-extension, Microsoft.AzureML.Kubernetes) names and makes, so a cluster
# set up by either tool keeps one set of them. "CLI-made" resources are made here as the CLI makes them: plain ARM
# PUTs with the api-versions it pins.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $null = Connect-TestEmulator -Emulator $Emulator
    $script:Sub = $Emulator.SubscriptionId
    $script:Rg = $Emulator.ResourceGroup

    # The Azure CLI's name rule, written again here from its source (_get_valid_name in
    # azext_k8s_extension/partner_extensions/AzureMLKubernetes.py): the input's letters and digits; when longer than the
    # maximum, the first (maximum - 6) of them and the first 6 hex digits of the input's MD5 (UTF-8). Inputs:
    # "{cluster}-{subscription}-{group}-relay" (50), "...-service-bus" (50), "{cluster}-{subscription}-{group}" (63), with
    # the names as typed and the subscription as the CLI's profile holds it (lower case).
    function Get-CliName([string] $Text, [int] $Max) {
        $kept = -join ($Text.ToCharArray() | Where-Object { [char]::IsLetterOrDigit($_) })
        if ($kept.Length -le $Max) { return $kept }
        $md5 = [Convert]::ToHexString([Security.Cryptography.MD5]::HashData([Text.Encoding]::UTF8.GetBytes($Text))).ToLowerInvariant()
        $kept.Substring(0, $Max - 6) + $md5.Substring(0, 6)
    }

    function Get-CliResourceId([string] $Cluster, [string] $Subscription, [string] $Group) {
        $s = $Subscription.ToLowerInvariant()
        $prefix = "/subscriptions/$Subscription/resourceGroups/$Group/providers"
        [pscustomobject]@{
            Relay            = "$prefix/Microsoft.Relay/namespaces/$(Get-CliName "$Cluster-$s-$Group-relay" 50)"
            HybridConnection = "$prefix/Microsoft.Relay/namespaces/$(Get-CliName "$Cluster-$s-$Group-relay" 50)/hybridConnections/$Cluster"
            ServiceBus       = "$prefix/Microsoft.ServiceBus/namespaces/$(Get-CliName "$Cluster-$s-$Group-service-bus" 50)"
            LogAnalytics     = "$prefix/Microsoft.OperationalInsights/workspaces/$(Get-CliName "$Cluster-$s-$Group" 63)"
        }
    }

    # What the CLI sends to make the relay of an Arc cluster (vendored AAZ commands, Microsoft.Relay 2017-04-01).
    function New-CliRelay([string] $Cluster, [string] $Subscription = $Sub, [string] $Group = $Rg) {
        $ids = Get-CliResourceId $Cluster $Subscription $Group
        $tag = @{ created_by = 'Azure Arc-enabled ML' }
        $results = @(
            Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId $ids.Relay -ApiVersion 2017-04-01 -Body @{ location = 'eastus'; sku = @{ name = 'Standard'; tier = 'Standard' }; tags = $tag }
            Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId $ids.HybridConnection -ApiVersion 2017-04-01 -Body @{ properties = @{ requiresClientAuthorization = $true } }
            Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId "$($ids.HybridConnection)/authorizationRules/azureml_rw" -ApiVersion 2017-04-01 -Body @{ properties = @{ rights = @('Manage', 'Send', 'Listen') } }
        )
        $results.StatusCode | Should -Be @(201, 200, 200) -Because 'the Relay spec answers 201 for a new namespace and 200 for hybrid connections and rules'
        (Invoke-EmulatorArm -Emulator $Emulator -Method POST -ResourceId "$($ids.HybridConnection)/authorizationRules/azureml_rw/listKeys" -ApiVersion 2017-04-01).Body.primaryConnectionString
    }

    function Get-Writes([int] $Since, [string] $Like) {
        @(Get-EmulatorWrite -Emulator $Emulator -Since $Since | Where-Object { $_.path -like $Like })
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'A cluster whose relay and Log Analytics workspace were made the Azure CLI''s way' {
    It 'gets the module''s extension with no new resource, pointing at the CLI''s relay and workspace' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'arc-cli' -Kind Connected
        $ids = Get-CliResourceId 'arc-cli' $Sub $Rg
        $cliKey = New-CliRelay 'arc-cli'
        $workspace = Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId $ids.LogAnalytics -ApiVersion 2022-10-01 -Body @{ location = 'eastus'; tags = @{ created_by = 'Azure Arc-enabled ML' } }
        $workspace.StatusCode | Should -Be 201
        $relaysBefore = @((Invoke-EmulatorArm -Emulator $Emulator -ResourceId "/subscriptions/$Sub/resourceGroups/$Rg/providers/Microsoft.Relay/namespaces" -ApiVersion 2021-11-01).Body.value).Count
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $extension = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ConfigurationSetting @{ logAnalyticsWS = 'true' } -ErrorAction Stop

        $extension.ProvisioningState | Should -Be 'Succeeded'
        Get-Writes $before '*Microsoft.Relay*' | Should -BeNullOrEmpty
        Get-Writes $before '*Microsoft.OperationalInsights*' | Should -BeNullOrEmpty
        @(Get-EmulatorWrite -Emulator $Emulator -Since $before | Where-Object path -notlike '/k8s/*').Count | Should -Be 1 -Because 'the extension PUT is the only write'
        $extension.ConfigurationSettings['relayserver.hybridConnectionResourceID'] | Should -Be $ids.HybridConnection
        $extension.ConfigurationSettings['azure_log_analytics.customer_id'] | Should -Be $workspace.Body.properties.customerId
        $extension.ProtectedSettingKeys | Should -Contain 'relayserver.relayConnectionString'
        @((Invoke-EmulatorArm -Emulator $Emulator -ResourceId "/subscriptions/$Sub/resourceGroups/$Rg/providers/Microsoft.Relay/namespaces" -ApiVersion 2021-11-01).Body.value).Count |
            Should -Be $relaysBefore
        $cliKey | Should -Not -BeNullOrEmpty
    }

    It 'leaves behind what a later az k8s-extension update looks up under its own names' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'arc-module-first' -Kind Connected
        $ids = Get-CliResourceId 'arc-module-first' $Sub $Rg

        $null = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ConfigurationSetting @{ logAnalyticsWS = 'true' } -ErrorAction Stop

        # The CLI's update re-reads these (HycoShow, HycoAuthoKeysList, workspaces.get): no "Relay server not found".
        (Invoke-EmulatorArm -Emulator $Emulator -ResourceId $ids.HybridConnection -ApiVersion 2017-04-01).StatusCode | Should -Be 200
        (Invoke-EmulatorArm -Emulator $Emulator -Method POST -ResourceId "$($ids.HybridConnection)/authorizationRules/azureml_rw/listKeys" -ApiVersion 2017-04-01).StatusCode | Should -Be 200
        (Invoke-EmulatorArm -Emulator $Emulator -ResourceId $ids.LogAnalytics -ApiVersion 2022-10-01).StatusCode | Should -Be 200
        (Get-EmulatorResource -Emulator $Emulator -ResourceId $ids.Relay -ApiVersion 2017-04-01).tags.created_by | Should -Be 'Azure Arc-enabled ML'
    }
}

Describe 'The names the module gives a new cluster''s resources' {
    It 'equal the Azure CLI''s for <Cluster> in <Group> of <Subscription>' -ForEach @(
        # Short names: nothing is cut.
        @{ Cluster = 'c1'; Subscription = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'; Group = 'rg' }
        @{ Cluster = 'arc_ml.01'; Subscription = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'; Group = 'rg.ml_(test)' }
        # 50 letters and digits exactly: the relay keeps its name, the Service Bus namespace is cut.
        @{ Cluster = 'arc-demo'; Subscription = '00000000-0000-0000-0000-0000000000b2'; Group = 'rg-demo' }
        # 51: the relay name is cut and gets the MD5 suffix.
        @{ Cluster = 'arc-demo1'; Subscription = '00000000-0000-0000-0000-0000000000b2'; Group = 'rg-demo' }
        # Long everywhere, the workspace past 63 too.
        @{ Cluster = 'prod-arc-cluster-westeurope-001'; Subscription = '9b7c2f0e-5d4a-4c3b-8e2f-1a2b3c4d5e6f'; Group = 'rg-ml-platform-prod-westeurope' }
        # Case kept for the names as typed; the subscription taken in lower case, as the CLI's profile holds it.
        @{ Cluster = 'Arc-Cluster-One'; Subscription = 'ABCDEF01-2345-6789-ABCD-EF0123456789'; Group = 'My.Resource_Group(1)' }
    ) {
        $clusterId = Add-EmulatorCluster -Emulator $Emulator -Name $Cluster -SubscriptionId $Subscription -ResourceGroup $Group -Kind Connected
        $ids = Get-CliResourceId $Cluster $Subscription $Group
        $lists = @(@('Microsoft.Relay/namespaces', '2021-11-01'), @('Microsoft.ServiceBus/namespaces', '2021-11-01'), @('Microsoft.OperationalInsights/workspaces', '2022-10-01'))
        $count = { param($list) @((Invoke-EmulatorArm -Emulator $Emulator -ResourceId "/subscriptions/$Subscription/resourceGroups/$Group/providers/$($list[0])" -ApiVersion $list[1]).Body.value | Where-Object { $_ }).Count }
        $before = @($lists | ForEach-Object { & $count $_ })

        $extension = New-AzMLK8sExtension -ClusterResourceId $clusterId -EnableTraining -ErrorAction Stop `
            -ConfigurationSetting @{ logAnalyticsWS = 'true'; 'servicebus.enabled' = 'true' }

        $extension.ProvisioningState | Should -Be 'Succeeded'
        Get-EmulatorResource -Emulator $Emulator -ResourceId $ids.Relay -ApiVersion 2021-11-01 | Should -Not -BeNullOrEmpty -Because "the CLI names the relay '$(($ids.Relay -split '/')[-1])'"
        Get-EmulatorResource -Emulator $Emulator -ResourceId $ids.ServiceBus -ApiVersion 2021-11-01 | Should -Not -BeNullOrEmpty -Because "the CLI names the Service Bus '$(($ids.ServiceBus -split '/')[-1])'"
        Get-EmulatorResource -Emulator $Emulator -ResourceId $ids.LogAnalytics -ApiVersion 2022-10-01 | Should -Not -BeNullOrEmpty -Because "the CLI names the workspace '$(($ids.LogAnalytics -split '/')[-1])'"
        $extension.ConfigurationSettings['relayserver.hybridConnectionResourceID'] | Should -Be $ids.HybridConnection
        $extension.ConfigurationSettings['servicebus.resourceID'] | Should -Be $ids.ServiceBus
        for ($i = 0; $i -lt $lists.Count; $i++) {
            & $count $lists[$i] | Should -Be ($before[$i] + 1) -Because "one $($lists[$i][0]) is made for the cluster"
        }
    }
}

Describe 'Service Bus' {
    It 'is created as the CLI creates it, with its connection string in the protected settings only' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-bus' -Kind Managed
        $ids = Get-CliResourceId 'aks-bus' $Sub $Rg

        $all = & { New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' } -Verbose } *>&1
        $extension = $all | Where-Object { $_ -is [AzMLK8s.Model.Extensions.AzMLK8sExtension] }

        $extension.ConfigurationSettings['servicebus.resourceID'] | Should -Be $ids.ServiceBus
        $extension.ConfigurationSettings['servicebus.topicSubMapping.computestate-updatedby-computeprovider'] | Should -Be 'compute-scheduler-computestate'
        $extension.ConfigurationSettings['servicebus.topicSubMapping.jobstate-updatedby-computeprovider'] | Should -Be 'compute-scheduler-jobstate'
        $extension.ProtectedSettingKeys | Should -Contain 'servicebus.connectionString'
        $namespace = Get-EmulatorResource -Emulator $Emulator -ResourceId $ids.ServiceBus -ApiVersion 2021-11-01
        $namespace.sku.name | Should -Be 'Standard'
        $namespace.tags.created_by | Should -Be 'Azure Arc-enabled ML'
        $topic = Get-EmulatorResource -Emulator $Emulator -ResourceId "$($ids.ServiceBus)/topics/jobstate-updatedby-computeprovider" -ApiVersion 2021-11-01
        $topic.properties.maxSizeInMegabytes | Should -Be 5120
        $topic.properties.defaultMessageTimeToLive | Should -Be 'P60D'
        $subscription = Get-EmulatorResource -Emulator $Emulator -ResourceId "$($ids.ServiceBus)/topics/jobstate-updatedby-computeprovider/subscriptions/compute-scheduler-jobstate" -ApiVersion 2021-11-01
        $subscription.properties.maxDeliveryCount | Should -Be 1
        $subscription.properties.lockDuration | Should -Be 'PT30S'
        $key = (Invoke-EmulatorArm -Emulator $Emulator -Method POST -ResourceId "$($ids.ServiceBus)/authorizationRules/RootManageSharedAccessKey/listKeys" -ApiVersion 2021-11-01).Body.primaryKey
        $all | Out-String -Width 4096 | Assert-NoCanary -Canary $key
        $extension | ConvertTo-Json -Depth 5 | Assert-NoCanary -Canary $key
    }

    It 'is reused: a second install, and an install next to a CLI-made namespace, create none' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-bus2' -Kind Managed
        $ids = Get-CliResourceId 'aks-bus2' $Sub $Rg
        $null = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' } -ErrorAction Stop
        Remove-AzMLK8sExtension -ClusterResourceId $cluster -Force -Confirm:$false -ErrorAction Stop
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $again = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' } -ErrorAction Stop

        Get-Writes $before '*Microsoft.ServiceBus*' | Should -BeNullOrEmpty
        $again.ConfigurationSettings['servicebus.resourceID'] | Should -Be $ids.ServiceBus

        # The CLI makes the namespace, its topics and subscriptions (azure-mgmt-servicebus, 2021-11-01).
        $cliCluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-cli-bus' -Kind Managed
        $cli = Get-CliResourceId 'aks-cli-bus' $Sub $Rg
        (Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId $cli.ServiceBus -ApiVersion 2021-11-01 -Body @{ location = 'eastus'; sku = @{ name = 'Standard' } }).StatusCode | Should -Be 201
        foreach ($pair in @(@('computestate-updatedby-computeprovider', 'compute-scheduler-computestate'), @('jobstate-updatedby-computeprovider', 'compute-scheduler-jobstate'))) {
            (Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId "$($cli.ServiceBus)/topics/$($pair[0])" -ApiVersion 2021-11-01 -Body @{ properties = @{ maxSizeInMegabytes = 5120; defaultMessageTimeToLive = 'P60D' } }).StatusCode | Should -Be 200
            (Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId "$($cli.ServiceBus)/topics/$($pair[0])/subscriptions/$($pair[1])" -ApiVersion 2021-11-01 -Body @{ properties = @{ maxDeliveryCount = 1; defaultMessageTimeToLive = 'P14D'; lockDuration = 'PT30S' } }).StatusCode | Should -Be 200
        }
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $next = New-AzMLK8sExtension -ClusterResourceId $cliCluster -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' } -ErrorAction Stop

        Get-Writes $before '*Microsoft.ServiceBus*' | Should -BeNullOrEmpty
        $next.ConfigurationSettings['servicebus.resourceID'] | Should -Be $cli.ServiceBus
    }
}
