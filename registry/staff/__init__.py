"""Staff pages outside the admin: the member search grouped by field, and its
CSV export (views), and the filter form they share with export_specialists."""
