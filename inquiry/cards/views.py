from django.views.generic import TemplateView

from . import diagrams
from .models import Procedure
from .selectors import accounts_with_states, procedure, procedures_leading_to, step_sources


class CardView(TemplateView):
    template_name = "cards/card.html"

    def get_context_data(self, **kwargs):
        accounts = list(accounts_with_states())
        for account in accounts:
            account.diagram = diagrams.state_diagram(account)
        return super().get_context_data(
            accounts=accounts,
            procedures=Procedure.objects.only("id", "slug", "title_zh_hans", "title_en"),
            **kwargs,
        )


class ProcedureDetailView(TemplateView):
    template_name = "cards/procedure_detail.html"

    def get_context_data(self, **kwargs):
        item = procedure(self.kwargs["slug"])
        return super().get_context_data(
            procedure=item, transitions=procedures_leading_to(item), sources=step_sources(item), **kwargs
        )
