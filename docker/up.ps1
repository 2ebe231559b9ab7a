# Start the SQL Server stack (docker/compose.yaml) in the background, building the images:
# the PowerShell twin of docker/up.sh.
#
#   powershell -ExecutionPolicy Bypass -File docker/up.ps1                # start
#   powershell -ExecutionPolicy Bypass -File docker/up.ps1 -PrepareEnv    # only write docker/.env
#
# docker/.env (ignored by git) starts as a copy of docker/.env.example; every empty
# *_PASSWORD in it gets a strong random password, once: an existing one is kept.
param([switch]$PrepareEnv)
Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

$here = $PSScriptRoot
$envFile = if ($env:DW_ENV_FILE) { $env:DW_ENV_FILE } else { Join-Path $here ".env" }
$project = "ecommerce_dw"
$passwordVariables = @("MSSQL_SA_PASSWORD", "MSSQL_ETL_PASSWORD", "MSSQL_MONITOR_PASSWORD", "MSSQL_BI_PASSWORD", "MSSQL_BACKUP_PASSWORD")

function Get-RandomChars([string]$Alphabet, [int]$Count) {
    $bytes = New-Object byte[] $Count
    [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
    -join ($bytes | ForEach-Object { $Alphabet[$_ % $Alphabet.Length] })
}

# 24 random letters and digits, then one upper case letter, one lower case, one digit and
# one symbol (SQL Server's password policy), from characters every consumer takes literally.
function New-StrongPassword {
    $upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    $lower = "abcdefghijklmnopqrstuvwxyz"
    $digits = "0123456789"
    (Get-RandomChars ($upper + $lower + $digits) 24) + (Get-RandomChars $upper 1) +
        (Get-RandomChars $lower 1) + (Get-RandomChars $digits 1) + (Get-RandomChars "_.+%@-" 1)
}

function Initialize-EnvFile {
    if (-not (Test-Path $envFile)) {
        Copy-Item (Join-Path $here ".env.example") $envFile
        Write-Host "created $envFile from .env.example"
    }
    $lines = [System.Collections.Generic.List[string]](Get-Content $envFile)
    $generated = @()
    foreach ($name in $passwordVariables) {
        $index = -1
        for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i].StartsWith("$name=")) { $index = $i } }
        if ($index -ge 0 -and $lines[$index].Substring($name.Length + 1).Length -gt 0) { continue }
        $line = "$name=$(New-StrongPassword)"
        if ($index -ge 0) { $lines[$index] = $line } else { $lines.Add($line) }
        $generated += $name
    }
    # UTF-8 without BOM and LF line ends, as Compose reads env files on every platform
    [System.IO.File]::WriteAllText($envFile, (($lines -join "`n") + "`n"), (New-Object System.Text.UTF8Encoding $false))
    if ($generated.Count -gt 0) { Write-Host "generated strong passwords in ${envFile}: $($generated -join ' ')" }
}

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

Initialize-EnvFile
if ($PrepareEnv) { exit 0 }
docker info *> $null
if ($LASTEXITCODE -ne 0) { throw "the Docker engine is not running (docker info failed)" }
Invoke-Compose @("up", "-d", "--build")
Write-Host @"

Stack starting (the first start builds the images, generates the demo source and loads it:
a few minutes). Follow it with: docker logs -f dw_sql_init
  SQL Server           127.0.0.1:1433 (logins etl_user, etl_monitor, bi_reader, etl_backup)
  Monitor ETL          http://127.0.0.1:8501
  Dashboard Vendas     http://127.0.0.1:8502
  Dashboard Metas      http://127.0.0.1:8503
  Dashboard Descontos  http://127.0.0.1:8504
  Load now             docker exec dw_orchestrator python orchestrator/run.py --entity all
"@
