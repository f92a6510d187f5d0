"""The guide in the editorial admin, in small modules; importing them registers the admins.

- `flows.py`: FlowAdmin (its page, publishing, the map view `admin:guide_flow_map`);
- `questions.py`: QuestionAdmin, ChoiceInline, ChoiceAdmin;
- `outcomes.py`: OutcomeAdmin, OutcomeProcedureInline, OutcomeProcedureAdmin;
- `forms.py`: the forms and the answers' formset, each `clean()` one call of
  `inquiry.guide.services.flow_ensure_sound`;
- `live.py`: whether a row's guide is published (the `is_live` hooks).
"""

from .flows import FlowAdmin
from .forms import ChoiceAdminForm, ChoiceFormSet, FlowAdminForm, OutcomeAdminForm
from .outcomes import OutcomeAdmin, OutcomeProcedureAdmin, OutcomeProcedureInline
from .questions import ChoiceAdmin, ChoiceInline, QuestionAdmin

__all__ = [
    "ChoiceAdmin",
    "ChoiceAdminForm",
    "ChoiceFormSet",
    "ChoiceInline",
    "FlowAdmin",
    "FlowAdminForm",
    "OutcomeAdmin",
    "OutcomeAdminForm",
    "OutcomeProcedureAdmin",
    "OutcomeProcedureInline",
    "QuestionAdmin",
]
