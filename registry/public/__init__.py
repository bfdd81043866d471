"""Public pages beyond the survey: the members' directory and the contact page."""
