# sheets-sync: the watcher (`sync watch`) as a Windows Task Scheduler task on an office PC.
#
# Run once, in PowerShell "as Administrator", from the folder holding this script:
#   powershell -ExecutionPolicy Bypass -File install-task.ps1 -Config "C:\DataKinerja\config\sync.yaml"
# It starts the watcher at boot (before anyone logs on), restarts it if it stops, and never
# ends it for running long. Remove it again with:  Unregister-ScheduledTask -TaskName "sheets-sync pemantau"
#
# Secrets never go in the task: set them once as machine environment variables, e.g.
#   [Environment]::SetEnvironmentVariable("SHEETS_SYNC_SMTP_PASSWORD", "...", "Machine")
# (or name a file outside the config with notify.email.password_file).
#
# With -RemindOnly it instead registers `sync remind` every 30 minutes during office hours
# (for an office that does not keep a watcher running). With -Every 5 it registers one round
# of the watcher (`sync watch --once --every 5m`) every 5 minutes instead of a watcher that
# keeps running; `sync status` then warns only after two runs did not come.

param(
    [Parameter(Mandatory = $true)][string]$Config,
    [string]$Exe = "C:\sheets-sync\.venv\Scripts\sheets-sync.exe",
    [string]$User = "SYSTEM",
    [int]$Interval = 60,
    [int]$Every = 0,
    [switch]$RemindOnly
)

$ErrorActionPreference = "Stop"
if (-not (Test-Path $Exe)) { throw "sheets-sync tidak ditemukan di $Exe (pasang dulu, atau beri -Exe)." }
if (-not (Test-Path $Config)) { throw "Berkas konfigurasi $Config tidak ada." }
$folder = Split-Path -Parent (Resolve-Path $Config)

if ($RemindOnly) {
    $name = "sheets-sync pengingat"
    $arguments = "--config `"$Config`" remind"
    $trigger = New-ScheduledTaskTrigger -Daily -At 08:00
    $trigger.Repetition = (New-ScheduledTaskTrigger -Once -At 08:00 `
        -RepetitionInterval (New-TimeSpan -Minutes 30) -RepetitionDuration (New-TimeSpan -Hours 8)).Repetition
    $limit = New-TimeSpan -Minutes 20
} elseif ($Every -gt 0) {
    $name = "sheets-sync pemantau"
    $log = Join-Path $folder "sheets-sync-watch.log"
    $arguments = "--config `"$Config`" watch --once --every $($Every)m --log-file `"$log`""
    $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) `
        -RepetitionInterval (New-TimeSpan -Minutes $Every)
    $limit = New-TimeSpan -Minutes 20
} else {
    $name = "sheets-sync pemantau"
    $log = Join-Path $folder "sheets-sync-watch.log"
    $arguments = "--config `"$Config`" watch --interval $Interval --log-file `"$log`""
    $trigger = New-ScheduledTaskTrigger -AtStartup
    $limit = [TimeSpan]::Zero  # no time limit: it runs for weeks
}

$action = New-ScheduledTaskAction -Execute $Exe -Argument $arguments -WorkingDirectory $folder
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -DontStopOnIdleEnd `
    -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -MultipleInstances IgnoreNew `
    -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -ExecutionTimeLimit $limit
$principal = New-ScheduledTaskPrincipal -UserId $User -LogonType ServiceAccount -RunLevel Limited

Register-ScheduledTask -TaskName $name -Action $action -Trigger $trigger -Settings $settings `
    -Principal $principal -Description "sheets-sync: pengumpulan data kinerja (SOP PEP)" -Force | Out-Null
Start-ScheduledTask -TaskName $name
Write-Host "Tugas '$name' terpasang dan dijalankan. Periksa dengan: sheets-sync --config `"$Config`" status"
