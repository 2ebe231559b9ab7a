-- LGPD: etl_monitor reads the source but never its personal data. A column-level DENY
-- wins over the schema-level GRANT of 04_source.sql; the columns are the ones
-- scripts/roles.py leaves out of etl_monitor's column grants on PostgreSQL. Run as sa
-- once the source tables exist (after the demo source is generated, or restored).

USE ECOMMERCE_OLTP;
GO

IF OBJECT_ID(N'core.customers', N'U') IS NOT NULL DENY SELECT ON OBJECT::core.customers (full_name, email, phone, document_number, birth_date, address_line, zip_code) TO etl_monitor;
GO
