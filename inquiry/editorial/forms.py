"""No lost edits: every edit form carries the version it started from and refuses to save over a newer one.

The check runs in the form's validation, which the admin runs inside the transaction that saves:
the row is read with SELECT … FOR UPDATE (on SQLite the transaction itself takes the write lock),
so nobody can save between the check and the write.
"""

from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .history import version_record

SEEN_VERSION = "seen_version"
# The fields both editors changed, carried (signed) from the conflict page to the next save, and for each
# a decision the editor must make before that save goes through.
MERGE_FIELDS = "merge_fields"
MERGE_DECISION = "merge__"
THEIRS, IN_FIELD = "theirs", "field"
_MERGE_SALT = "inquiry.editorial.merge"


@dataclass
class VersionConflict:
    """Someone saved `instance` after the editor opened it: what they saved, by whom and when."""

    instance: object
    seen_version: int
    current_version: int
    theirs: object = None  # the historical record of the current version
    base: object = None  # the historical record of the version the editor started from
    deleted: bool = False
    changes: list = field(default_factory=list)
    # Filled when the form is re-rendered: their changes taken in where the editor had not touched the
    # field, and the fields both of them changed, which the editor must merge by hand.
    taken_in: list = field(default_factory=list)
    both_changed: list = field(default_factory=list)

    @property
    def who(self):
        return getattr(self.theirs, "history_user", None)

    @property
    def when(self):
        return getattr(self.theirs, "history_date", None)


def current_version(model, pk):
    """The stored version of row `pk`, locked for this transaction; None if the row is gone."""
    queryset = model._default_manager.filter(pk=pk)
    if transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.values_list("version", flat=True).first()


def find_conflict(instance, seen_version):
    """A VersionConflict if the stored row is no longer at `seen_version`, else None."""
    model = type(instance)
    stored = current_version(model, instance.pk)
    if stored is None:
        return VersionConflict(instance=instance, seen_version=seen_version, current_version=0, deleted=True)
    if stored == seen_version:
        return None
    conflict = VersionConflict(instance=instance, seen_version=seen_version, current_version=stored)
    if hasattr(model, "history"):
        from .diff import diff_records

        conflict.theirs = version_record(model, instance.pk, stored)
        conflict.base = version_record(model, instance.pk, seen_version)
        if conflict.theirs is not None and conflict.base is not None:
            conflict.changes = diff_records(model, conflict.base, conflict.theirs)
    return conflict


def conflict_message(conflict):
    if conflict.deleted:
        return _("Someone deleted this while you were editing it. Nothing was saved.")
    if conflict.who is not None:
        return _(
            "%(user)s saved a newer version (version %(current)s, %(when)s) while you were editing version "
            "%(seen)s. Nothing was saved, and nothing you typed is lost: your text is still in the form. "
            "Look at what they changed, bring those changes into your text, then save again."
        ) % {
            "user": conflict.who.get_username(),
            "current": conflict.current_version,
            "when": timezone.localtime(conflict.when).strftime("%Y-%m-%d %H:%M"),
            "seen": conflict.seen_version,
        }
    return _(
        "Someone saved a newer version (version %(current)s) while you were editing version %(seen)s. "
        "Nothing was saved, and nothing you typed is lost: your text is still in the form. "
        "Look at what changed, bring those changes into your text, then save again."
    ) % {"current": conflict.current_version, "seen": conflict.seen_version}


@dataclass
class MergeItem:
    """A field both editors changed: their value, the text now in the form, and the editor's decision."""

    form: object
    name: str
    theirs: object  # their value, in the shape a historical record holds (ids for related objects)
    version: int  # the version that holds their value
    who: object = None

    @property
    def label(self):
        return self.form.fields[self.name].label or self.name

    @property
    def row(self):
        """The inline row the field belongs to ("" for the page's own form)."""
        return str(self.form.instance) if self.form.prefix else ""

    @property
    def decision(self):
        return self.form[MERGE_DECISION + self.name]

    @property
    def theirs_text(self):
        return display_value(self.form.fields[self.name], self.theirs)

    @property
    def field_text(self):
        return display_value(self.form.fields[self.name], self.form[self.name].value())


def merge_token(instance, version, names):
    """The fields still to merge, signed, for the hidden `merge_fields` input."""
    return signing.dumps(
        {"o": f"{instance._meta.label_lower}:{instance.pk}", "v": version, "f": names}, salt=_MERGE_SALT
    )


class AlteredMergeToken(Exception):
    """The `merge_fields` input is not one this site wrote for this object."""


def read_merge_token(token, instance):
    """(version, field names) from a `merge_token` of `instance`; (None, []) if there is none.

    Raises AlteredMergeToken if it was altered or belongs to another object.
    """
    if not token:
        return None, []
    try:
        payload = signing.loads(token, salt=_MERGE_SALT)
    except signing.BadSignature as error:
        raise AlteredMergeToken from error
    if not isinstance(payload, dict) or payload.get("o") != f"{instance._meta.label_lower}:{instance.pk}":
        raise AlteredMergeToken
    names = payload.get("f")
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise AlteredMergeToken
    return payload.get("v"), names


def stored_value(instance, name):
    """The value of field `name` of `instance` as loaded, in the shape a historical record holds."""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return set(getattr(instance, name).values_list("pk", flat=True))
    return getattr(instance, model_field.attname)


def display_value(form_field, value):
    """A value (stored, cleaned or as submitted) as the text an editor reads."""
    if value is None or value == "" or value == [] or value == set():
        return ""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        items = value if isinstance(value, (list, tuple, set)) or hasattr(value, "values_list") else [value]
        pks = {getattr(item, "pk", item) for item in items}
        return ", ".join(str(obj) for obj in form_field.queryset.filter(pk__in=pks))
    if isinstance(form_field, forms.ModelChoiceField):
        found = form_field.queryset.filter(pk=getattr(value, "pk", value)).first()
        return str(found) if found is not None else str(value)
    if isinstance(form_field, forms.BooleanField):
        return str(_("yes") if value else _("no"))
    if hasattr(value, "tzinfo"):
        return formats.localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, (list, tuple)):
        return " ".join(str(part) for part in value if part)
    choices = getattr(form_field, "choices", None)
    if choices is not None:
        labels = {str(key): label for key, label in choices if not isinstance(label, (list, tuple))}
        return str(labels.get(str(value), value))
    return str(value)


class VersionCheckedForm(forms.ModelForm):
    """A ModelForm for an EditableContent model that refuses to save over a version it did not start from.

    When it refuses, it merges three ways (`move_to_version`): what only the colleague changed comes into
    the form, what only the editor changed stays, and each field both changed needs the editor's decision
    (their text, or the text in the field: the editor's own or the two combined) before the next save
    goes through. So a second click on Save cannot drop the colleague's words unseen.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    merge_fields = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_conflict = None
        self.merge_items = []
        self.merge_altered = False
        self.merge_version = None  # the version the merge on the conflict page started from
        if self.instance.pk is not None:
            self.initial.setdefault(SEEN_VERSION, self.instance.version)
        if self.is_bound and self.instance.pk is not None and not self.instance._state.adding:
            self._open_merges()

    def _decision_key(self, name):
        return self.add_prefix(MERGE_DECISION + name)

    def _open_merges(self):
        """The fields left to merge on the conflict page: each needs a decision; "theirs" puts theirs in."""
        try:
            version, names = read_merge_token(self.data.get(self.add_prefix(MERGE_FIELDS)), self.instance)
        except AlteredMergeToken:
            self.merge_altered = True
            return
        if version != self.instance.version:
            return  # saved again meanwhile: the version check refuses, and `move_to_version` asks again
        self.merge_version = version
        data = self.data.copy()
        who = getattr(self.instance, "updated_by", None)
        for name in names:
            if name not in self.fields or name.startswith(MERGE_DECISION):
                continue
            theirs = stored_value(self.instance, name)
            self._add_decision(name, theirs, version, who)
            if data.get(self._decision_key(name)) == THEIRS:
                write_value(data, self.add_prefix(name), self.fields[name], theirs)
        self.data = data

    def _add_decision(self, name, theirs, version, who):
        self.fields[MERGE_DECISION + name] = forms.ChoiceField(
            label=_("Which text to keep"),
            choices=[
                (THEIRS, _("Their text")),
                (IN_FIELD, _("The text in the field (yours, or the two combined)")),
            ],
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose which text to keep.")},
        )
        self.merge_items.append(MergeItem(form=self, name=name, theirs=theirs, version=version, who=who))

    def clean(self):
        cleaned = super().clean()
        # Browsers send textarea line breaks as CRLF; stored as LF, an untouched text stays the same
        # text (and the history does not list it as changed).
        for name, value in cleaned.items():
            if isinstance(value, str) and "\r" in value:
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        if self.instance.pk is None or self.instance._state.adding:
            return cleaned
        if self.merge_altered:
            raise forms.ValidationError(
                _(
                    "Nothing was saved: this page's record of the fields left to merge was changed. Copy your text "
                    "somewhere safe, open the page again and make your change there."
                ),
                code="merge_altered",
            )
        if self.merge_version is not None:
            # The conflict page keeps the version the editor started from in `seen_version` while fields
            # wait for a decision, so a form that lost its merge record is refused again, not saved.
            cleaned[SEEN_VERSION] = self.merge_version
        seen = cleaned.get(SEEN_VERSION)
        if seen is None:
            # A form without the version it started from cannot prove it saw the latest text.
            seen = -1
        conflict = find_conflict(self.instance, seen)
        if conflict is not None:
            self.version_conflict = conflict
            self.move_to_version(conflict)
            raise forms.ValidationError(conflict_message(conflict), code="version_conflict")
        undecided = [item.label for item in self.merge_items if MERGE_DECISION + item.name in self.errors]
        if undecided:
            raise forms.ValidationError(
                _(
                    "Nothing was saved yet. You and a colleague both changed: %(fields)s. For each, choose "
                    "which text to keep (to combine them, write the combined text in the field and keep the "
                    "text in the field), then save."
                )
                % {"fields": str(_(", ")).join(str(label) for label in undecided)},
                code="merge_undecided",
            )
        return cleaned

    def move_to_version(self, conflict):
        """Re-render starting from the newer version, merged three ways, so that saving again is safe.

        A field the editor left as it was when they opened the form takes the colleague's newer value (else
        saving again would silently undo it); a field only the editor changed keeps the editor's text; a
        field both changed keeps the editor's text and waits for a decision, as does one still undecided
        from an earlier conflict.
        """
        model = type(self.instance)
        data = self.data.copy()
        data[self.add_prefix(SEEN_VERSION)] = str(conflict.current_version)
        try:
            _version, earlier = read_merge_token(data.get(self.add_prefix(MERGE_FIELDS)), self.instance)
        except AlteredMergeToken:
            earlier = []
        still_open = [name for name in earlier if data.get(self._decision_key(name)) != IN_FIELD]
        # Decisions were about an older version: asked again below.
        for item in self.merge_items:
            self.fields.pop(MERGE_DECISION + item.name, None)
        for name in earlier:
            data.pop(self._decision_key(name), None)
        self.merge_items = []
        theirs_by_name, to_merge = {}, []
        if conflict.base is not None and conflict.theirs is not None:
            theirs_by_name = _their_changes(model, conflict)
            for name, theirs in theirs_by_name.items():
                if name not in self.fields or name not in self.cleaned_data:
                    continue
                base = _base_value(model, conflict, name)
                mine = _comparable(self.cleaned_data[name])
                if _same_value(mine, base):
                    write_value(data, self.add_prefix(name), self.fields[name], theirs)
                    conflict.taken_in.append(self.fields[name].label or name)
                elif not _same_value(mine, _comparable(theirs)):
                    to_merge.append(name)
        to_merge += [name for name in still_open if name in self.fields and name not in to_merge]
        for name in to_merge:
            theirs = theirs_by_name[name] if name in theirs_by_name else stored_value(self.instance, name)
            self._add_decision(name, theirs, conflict.current_version, conflict.who)
            conflict.both_changed.append(self.fields[name].label or name)
            if name in self.fields and name not in self.errors:
                self.add_error(
                    name,
                    _(
                        "Changed by you and by the other editor. Your text is kept here; theirs is shown at the "
                        "top of the page. Choose there which text to keep, or combine the two here."
                    ),
                )
        if to_merge:
            # Saved without the merge record, the form is still at the older version, and is refused.
            data[self.add_prefix(SEEN_VERSION)] = str(conflict.seen_version)
            data[self.add_prefix(MERGE_FIELDS)] = merge_token(self.instance, conflict.current_version, to_merge)
        else:
            data[self.add_prefix(MERGE_FIELDS)] = ""
        self.data = data


def _their_changes(model, conflict):
    """{form field name: their value} for every field they changed since the editor's starting version."""
    from .history import history_m2m_fields, m2m_values

    values = {}
    m2m_names = {m2m_field.name: m2m_field for m2m_field in history_m2m_fields(model)}
    for change in conflict.changes:
        if change.name in m2m_names:
            records = [conflict.base, conflict.theirs]
            values[change.name] = m2m_values(records, m2m_names[change.name]).get(conflict.theirs.history_id, set())
        else:
            model_field = model._meta.get_field(change.name)
            values[change.name] = getattr(conflict.theirs, model_field.attname)
    return values


def _base_value(model, conflict, name):
    from .history import history_m2m_fields, m2m_values

    for m2m_field in history_m2m_fields(model):
        if m2m_field.name == name:
            return m2m_values([conflict.base], m2m_field).get(conflict.base.history_id, set())
    return getattr(conflict.base, model._meta.get_field(name).attname)


def _comparable(value):
    """A cleaned form value in the shape a historical record holds: ids for objects, sets for many."""
    if hasattr(value, "_meta"):
        return value.pk
    if hasattr(value, "values_list"):
        return set(value.values_list("pk", flat=True))
    if isinstance(value, (list, tuple, set)):
        return {getattr(item, "pk", item) for item in value}
    return value


def _same_value(a, b):
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")
    return a == b


def write_value(data, key, form_field, value):
    """Put a stored value into submitted form data, in the shape the field's widget reads back."""
    widget = form_field.widget
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
        return
    if isinstance(value, set):
        data.setlist(key, [str(item) for item in sorted(value)])
        return
    prepared = form_field.prepare_value(value)
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(prepared)
        for suffix, subwidget, part in zip(widget.widgets_names, widget.widgets, parts, strict=False):
            data[key + suffix] = subwidget.format_value(part) or ""
        return
    formatted = widget.format_value(prepared)
    if isinstance(formatted, list):
        data.setlist(key, formatted)
    else:
        data[key] = "" if formatted is None else str(formatted)


class VersionCheckedInlineFormSet(BaseInlineFormSet):
    """Inline rows carry their versions too; deleting a row someone changed meanwhile is refused as well.

    (A formset does not validate the forms it deletes, so those are checked here.)
    """

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            instance = form.instance
            if instance.pk is None or not isinstance(form, VersionCheckedForm):
                continue
            # The form's own validation has run (and found any conflict) even though the formset
            # ignores the errors of forms it deletes.
            conflict = form.version_conflict
            if conflict is not None and not conflict.deleted:
                raise forms.ValidationError(
                    _("You asked to delete “%(row)s”, but it changed after you opened this page. %(detail)s")
                    % {"row": instance, "detail": conflict_message(conflict)},
                    code="version_conflict",
                )


def versioned_form(form_class):
    """`form_class` with the version check mixed in (returned as is if it has it already)."""
    if issubclass(form_class, VersionCheckedForm):
        return form_class
    return type(form_class.__name__, (VersionCheckedForm, form_class), {})


def versioned_formset(formset_class):
    """`formset_class` with the inline version check mixed in (as is if it has it already).

    Both `clean` methods run: the version check's, then the formset's own.
    """
    if issubclass(formset_class, VersionCheckedInlineFormSet):
        return formset_class
    return type(formset_class.__name__, (VersionCheckedInlineFormSet, formset_class), {})


class PublishingForm(forms.ModelForm):
    """Publishing without a publish date publishes now (the database refuses a published row without one)."""

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        if (
            "published_at" in self.fields
            and cleaned.get("status") == model.Status.PUBLISHED
            and not cleaned.get("published_at")
        ):
            cleaned["published_at"] = timezone.now()
        return cleaned


def publishing_form(form_class):
    if issubclass(form_class, PublishingForm):
        return form_class
    return type(form_class.__name__, (PublishingForm, form_class), {})


class SlugFromTitleForm(forms.ModelForm):
    """A slug left empty is made from the title: the English one, else the Chinese one in pinyin (slugs.py)."""

    slug_source = "title"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None and not slug.disabled:
            slug.required = False
            slug.help_text = _(
                "Part of the address (ASCII). Leave it empty and it is made from the English title, or from "
                "the Chinese title in pinyin. You can change it until the page is first published."
            )

    def clean(self):
        cleaned = super().clean()
        if "slug" not in self.fields or cleaned.get("slug") or "slug" in self.errors:
            return cleaned
        from .slugs import slug_from_titles, title_field_names, unique_slug

        english_name, chinese_name = title_field_names(self.slug_source)
        if english_name not in self.fields and self.slug_source in self.fields:
            english_name = chinese_name = self.slug_source
        english = cleaned.get(english_name) or ""
        chinese = cleaned.get(chinese_name) or ""
        max_length = self._meta.model._meta.get_field("slug").max_length or 50
        base = slug_from_titles(english, chinese, max_length=max_length)
        if not base:
            self.add_error("slug", _("Type an address, or a title to make it from."))
            return cleaned
        cleaned["slug"] = unique_slug(base, self._slug_taken, max_length=max_length)
        return cleaned

    def _slug_taken(self, candidate):
        model = self._meta.model
        scope = {}
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if "slug" in fields:
                for name in fields:
                    if name != "slug":
                        scope[name] = self.cleaned_data.get(name, getattr(self.instance, name, None))
        rows = model._default_manager.filter(slug=candidate, **scope)
        if self.instance.pk is not None:
            rows = rows.exclude(pk=self.instance.pk)
        return rows.exists()


def slug_form(form_class, source):
    """`form_class` making an empty slug from the translated field `source` (as is if it does already)."""
    if issubclass(form_class, SlugFromTitleForm):
        return form_class
    return type(form_class.__name__, (SlugFromTitleForm, form_class), {"slug_source": source})


SLUG_SOURCES = ("title", "heading", "label", "name")


def slug_source(model):
    """The field a slug of `model` is made from, or None (no slug, or nothing to make it from)."""
    names = {field.name for field in model._meta.concrete_fields}
    if "slug" not in names:
        return None
    return next((name for name in SLUG_SOURCES if name in names), None)
