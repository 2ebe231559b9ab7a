"""Python that sits beside dbt: runs it, reads its results, reports on the warehouse."""
