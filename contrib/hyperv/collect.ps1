<#
.SYNOPSIS
    Collect, read-only, what vfscope reads from a Hyper-V host or a Windows guest:
    one JSON file per inbox cmdlet, into a folder (and, with -Zip, a .zip of it).

.DESCRIPTION
    Runs only Get- cmdlets that ship with Windows (Hyper-V, NetAdapter and NetLbfo
    modules) and never changes anything. Each cmdlet's objects go to <cmdlet>.json
    as `ConvertTo-Json -Depth N` writes them (Windows PowerShell 5.1: enums as
    integers, file in UTF-16LE with a BOM, as `>` writes it; PowerShell 7: enums as
    strings, UTF-8). A cmdlet that fails or is missing is recorded in errors.json
    and the others still run. collect.json says what ran where.

    Give the folder or the zip to vfscope:  vfscope check --hyperv DIR|ZIP
    (see docs/hyperv.md for guest folders).

.PARAMETER Role
    Host (a Hyper-V host), Guest (inside a Windows VM) or Auto (default: Host when
    the Hyper-V module's Get-VMSwitch is there, else Guest).

.PARAMETER OutDir
    The folder to write (default: .\vfscope-hyperv-<COMPUTERNAME>-<UTC time>). It
    must not exist yet or be empty.

.PARAMETER Depth
    ConvertTo-Json -Depth (default 4). Objects deeper than this arrive as strings.

.PARAMETER Zip
    Also write <OutDir>.zip (Compress-Archive).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\collect.ps1 -Zip
#>
[CmdletBinding()]
param(
    [ValidateSet('Auto', 'Host', 'Guest')]
    [string]$Role = 'Auto',
    [string]$OutDir,
    [ValidateRange(1, 20)]
    [int]$Depth = 4,
    [switch]$Zip
)

Set-StrictMode -Version 2

# The cmdlets, in the order they run. Each writes <Name>.json; vfscope
# recognises a file by the objects in it, so these names are a convention
# (docs/hyperv.md lists them), not something the reader depends on.
$HostCmdlets = [ordered]@{
    'Get-VMHost'            = { Get-VMHost }
    'Get-VMSwitch'          = { Get-VMSwitch }
    'Get-VMNetworkAdapter'  = { Get-VMNetworkAdapter -All }
    'Get-NetAdapter'        = { Get-NetAdapter }
    'Get-NetAdapterSriov'   = { Get-NetAdapterSriov }
    'Get-NetAdapterSriovVf' = { Get-NetAdapterSriovVf }
    'Get-NetLbfoTeam'       = { Get-NetLbfoTeam }
    'Get-NetLbfoTeamMember' = { Get-NetLbfoTeamMember }
}
$GuestCmdlets = [ordered]@{
    'Get-NetLbfoTeam'       = { Get-NetLbfoTeam }
    'Get-NetLbfoTeamMember' = { Get-NetLbfoTeamMember }
    'Get-NetLbfoTeamNic'    = { Get-NetLbfoTeamNic }
    'Get-NetAdapter'        = { Get-NetAdapter }
    'Get-NetAdapterSriovVf' = { Get-NetAdapterSriovVf }
}

# A guest may have the Hyper-V PowerShell module (RSAT) without being a
# host: it is the host only when Get-VMHost answers.
if ($Role -eq 'Auto') {
    $Role = 'Guest'
    if (Get-Command -Name 'Get-VMHost' -ErrorAction SilentlyContinue) {
        try { $null = Get-VMHost -ErrorAction Stop; $Role = 'Host' } catch { $Role = 'Guest' }
    }
}
$cmdlets = if ($Role -eq 'Host') { $HostCmdlets } else { $GuestCmdlets }

$now = (Get-Date).ToUniversalTime()
$inv = [System.Globalization.CultureInfo]::InvariantCulture
if (-not $OutDir) {
    $OutDir = Join-Path -Path (Get-Location) -ChildPath ('vfscope-hyperv-{0}-{1}' -f $env:COMPUTERNAME, $now.ToString("yyyyMMdd'T'HHmmss'Z'", $inv))
}
if (Test-Path -LiteralPath $OutDir) {
    if (Get-ChildItem -LiteralPath $OutDir -Force | Select-Object -First 1) {
        Write-Error "$OutDir exists and is not empty; give an empty or new -OutDir"
        exit 2
    }
} else {
    New-Item -ItemType Directory -Path $OutDir -ErrorAction Stop | Out-Null
}

# 7 writes enums as names with -EnumsAsStrings; 5.1 has no such switch and
# writes the integers (OnOffState On = 0, Off = 1; Status Ok = 2: docs/hyperv.md).
$jsonArgs = @{ Depth = $Depth }
if ((Get-Command -Name 'ConvertTo-Json').Parameters.ContainsKey('EnumsAsStrings')) { $jsonArgs['EnumsAsStrings'] = $true }

# Out-File without -Encoding writes what `>` writes: UTF-16LE with a BOM in
# 5.1, UTF-8 without one in 7. The reader takes both.
function Write-Export([string]$Name, [string]$Text) {
    Out-File -LiteralPath (Join-Path -Path $OutDir -ChildPath $Name) -InputObject $Text
}

$errors = New-Object System.Collections.ArrayList
$written = New-Object System.Collections.ArrayList
foreach ($name in $cmdlets.Keys) {
    if (-not (Get-Command -Name $name -ErrorAction SilentlyContinue)) {
        [void]$errors.Add([ordered]@{ cmdlet = $name; error = 'cmdlet not available on this system' })
        continue
    }
    try {
        # Stop turns a cmdlet's non-terminating errors into one catch here.
        $ErrorActionPreference = 'Stop'
        $objs = @(& $cmdlets[$name])
        if ($objs.Count -eq 0) {
            # ConvertTo-Json of nothing writes nothing: say "none" explicitly.
            $text = '[]'
        } elseif ($objs.Count -eq 1) {
            $text = ConvertTo-Json -InputObject $objs[0] @jsonArgs
        } else {
            $text = ConvertTo-Json -InputObject $objs @jsonArgs
        }
        Write-Export -Name "$name.json" -Text $text
        [void]$written.Add("$name.json")
    } catch {
        [void]$errors.Add([ordered]@{ cmdlet = $name; error = [string]$_.Exception.Message })
    } finally {
        $ErrorActionPreference = 'Continue'
    }
}

Write-Export -Name 'errors.json' -Text (ConvertTo-Json -InputObject @($errors) -Depth 3)
$info = [ordered]@{
    vfscope_collect = 1
    role            = $Role.ToLowerInvariant()
    computer        = $env:COMPUTERNAME
    ps_version      = $PSVersionTable.PSVersion.ToString()
    ps_edition      = $(if ($PSVersionTable.ContainsKey('PSEdition')) { [string]$PSVersionTable.PSEdition } else { 'Desktop' })
    time            = $now.ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", $inv)
    depth           = $Depth
    files           = @($written)
}
Write-Export -Name 'collect.json' -Text (ConvertTo-Json -InputObject $info -Depth 3)

foreach ($e in $errors) { Write-Warning ('{0}: {1}' -f $e.cmdlet, $e.error) }
$result = $OutDir
if ($Zip) {
    $zipPath = "$OutDir.zip"
    Compress-Archive -Path (Join-Path -Path $OutDir -ChildPath '*') -DestinationPath $zipPath -Force
    $result = $zipPath
}
Write-Output $result
