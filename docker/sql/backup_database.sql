-- One backup of one database, run by the backup job (docker/scripts/backup.sh) as
-- etl_backup (db_backupoperator) every BACKUP_INTERVAL_HOURS: COPY_ONLY (it does not
-- disturb any other backup chain), compressed, with page checksums verified while it
-- reads. BACKUP_DATABASE and BACKUP_FILE are sqlcmd scripting variables the job sets in
-- the environment of each call; the file lands on the sqlserver_backup volume.

BACKUP DATABASE [$(BACKUP_DATABASE)] TO DISK = N'$(BACKUP_FILE)' WITH COPY_ONLY, COMPRESSION, CHECKSUM, STATS = 25;
GO
