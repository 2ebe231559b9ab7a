# Stop the SQL Server stack: the PowerShell twin of docker/down.sh.
#
#   powershell -ExecutionPolicy Bypass -File docker/down.ps1                 # stop; data stays
#   powershell -ExecutionPolicy Bypass -File docker/down.ps1 -Reset          # also delete the volumes (asks)
#   powershell -ExecutionPolicy Bypass -File docker/down.ps1 -Reset -Yes     # without asking
param([switch]$Reset, [switch]$Yes)
Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

$here = $PSScriptRoot
$envFile = if ($env:DW_ENV_FILE) { $env:DW_ENV_FILE } else { Join-Path $here ".env" }
$project = "ecommerce_dw"
if (-not (Test-Path $envFile)) { throw "$envFile not found: was the stack started with docker/up.ps1?" }

function Invoke-Compose([string[]]$Arguments) {
    $composeFile = Join-Path $here "compose.yaml"
    docker compose version *> $null
    if ($LASTEXITCODE -eq 0) {
        docker compose -p $project --env-file $envFile -f $composeFile @Arguments
    } elseif (Get-Command docker-compose -ErrorAction SilentlyContinue) {
        docker-compose -p $project --env-file $envFile -f $composeFile @Arguments
    } else {
        throw "Docker Compose not found (docker compose or docker-compose)"
    }
    if ($LASTEXITCODE -ne 0) { throw "docker compose $($Arguments -join ' ') failed (exit $LASTEXITCODE)" }
}

if (-not $Reset) {
    Invoke-Compose @("down")
    exit 0
}
if (-not $Yes) {
    Write-Host "This deletes the databases, the backups and the audit files of the stack."
    Write-Host "Copy backups out first if you need them: docker cp dw_sqlserver:/var/opt/mssql/backup .\backups"
    $answer = Read-Host "Type reset to continue"
    if ($answer -ne "reset") { Write-Host "nothing deleted"; exit 1 }
}
Invoke-Compose @("down", "--volumes")
