"""Weekly XLSX reports for community leads (openpyxl), built from the ledger."""
