from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registry"
    verbose_name = _("Diaspora registry")

    def ready(self):
        # In every process, not only those that import the views: a
        # management command or the admin may change the taxonomy too.
        from registry.form_cache import connect_signals

        connect_signals()
