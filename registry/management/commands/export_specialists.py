"""Export members as CSV from the command line, with the staff search's filters."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from registry.export import export_stream, members_to_export
from registry.models import ExportLog, Member
from registry.search.filters import members_filtered
from registry.selectors.members import members_visible_to
from registry.services.exports import export_log_start
from registry.staff.forms import FILTER_NAMES, StaffSearchForm, search_form_data

HELP_BY_FILTER = {
    "q": 'free text, web-search syntax: "a phrase", OR, -exclude',
    "field": "broad field code, e.g. 1",
    "subfield": "main subfield code, e.g. 1.2",
    "cluster": "expertise cluster slug, e.g. ai-data-science",
    "country": "country of residence, ISO code, e.g. GB",
    "sector": "sector, e.g. academia, industry",
    "engagement": "engagement type slug, e.g. lectures",
    "sdg": "Sustainable Development Goal number, 1 to 17",
    "qualification": "highest qualification, e.g. phd, md",
    "stage": "career stage, e.g. r3, practitioner",
    "status": "confirmed (default: submitted or verified), all, or one status",
    "freshness": "fresh or stale (the yearly check); default: both",
}


class Command(BaseCommand):
    help = (
        "Write members as CSV (the columns of docs/export-columns.md), filtered like the "
        "staff search. Every export is recorded in the export log."
    )

    def add_arguments(self, parser):
        for name in FILTER_NAMES:
            parser.add_argument(f"--{name}", default="", help=HELP_BY_FILTER[name])
        parser.add_argument(
            "-o", "--output", help="File to write (default: standard output).", default=None
        )
        parser.add_argument(
            "--include-no-contact",
            action="store_true",
            help="Also members who did not agree to be contacted (by default the file "
            "holds only those who agreed). Recorded in the export log.",
        )
        parser.add_argument(
            "--user",
            help="Username recorded in the export log; the export then holds only the "
            "members this staff account may see.",
        )

    def handle(self, *args, output, user, include_no_contact, **options):
        form = StaffSearchForm(search_form_data(options))
        if not form.is_valid():
            problems = "; ".join(
                f"--{name}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            raise CommandError(f"Invalid filters: {problems}")
        account = None
        base = Member.objects.all()
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user named {user!r}.")
            base = members_visible_to(account)
        members = members_to_export(
            members_filtered(base, form.filters()), include_no_contact=include_no_contact
        )
        log = export_log_start(
            user=account,
            entry_point=ExportLog.EntryPoint.COMMAND,
            filters=form.filter_values(),
            includes_no_contact=include_no_contact,
        )
        stream = export_stream(queryset=members, log=log)
        if output:
            with open(output, "wb") as file:
                for chunk in stream:
                    file.write(chunk)
        else:
            # Bytes to a real standard output; text to a StringIO in tests.
            binary = getattr(self.stdout, "buffer", None)
            for chunk in stream:
                if binary is not None:
                    binary.write(chunk)
                else:
                    self.stdout.write(chunk.decode("utf-8"), ending="")
            self.stdout.flush()
        log.refresh_from_db()
        # On standard error, so that standard output holds the CSV alone.
        self.stderr.write(f"Exported {log.row_count} members.")
