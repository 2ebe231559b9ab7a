# SQL Server 2022 with the two folders the stack keeps in their own volumes: backups
# (/var/opt/mssql/backup) and SQL Server Audit's login files (/var/opt/mssql/audit). They
# exist in the image, owned by mssql, so a new named volume mounted there is mssql's too.
FROM mcr.microsoft.com/mssql/server:2022-latest

USER root
RUN mkdir -p /var/opt/mssql/backup /var/opt/mssql/audit \
    && chown -R mssql /var/opt/mssql/backup /var/opt/mssql/audit \
    && chmod 770 /var/opt/mssql/backup /var/opt/mssql/audit
COPY docker/scripts/sqlserver-healthcheck.sh /usr/local/bin/dw-healthcheck
RUN chmod 755 /usr/local/bin/dw-healthcheck
USER mssql
