"""The back office's forms: one class a form, validation in the form (Flask-WTF, CSRF)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from mlo.locales import CODES, LOCALES
from mlo.text import clean, dates
from mlo.text.slugs import is_slug
from mlo.web.i18n import _l, _lp


def language_name(code: str) -> str:
    """A language's name in the interface language."""
    names = {"en": _l("English"), "sr": _l("Serbian")}
    return str(names.get(code, code))


def language_choices() -> list[SelectChoice]:
    """The article languages, named in the interface language."""
    return [SelectChoice(code, language_name(code)) for code in CODES]


# A revision number as a form posts it back: anything else is a forged or broken form.
REVISION = NumberRange(min=0, max=2**31 - 1)


def _storable(_form: FlaskForm, field: StringField) -> None:
    if clean.problem(field.data or ""):
        raise ValidationError(_l("This text has a character that cannot be stored."))


def _archive_year(_form: FlaskForm, field: DateTimeLocalField) -> None:
    if field.data and not dates.FIRST_YEAR < field.data.year <= dates.LAST_YEAR:
        raise ValidationError(
            _l(
                "Choose a year from %(first)d to %(last)d.",
                first=dates.FIRST_YEAR + 1,
                last=dates.LAST_YEAR,
            )
        )


class LoginForm(FlaskForm):
    """Sign in."""

    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=500)])


class ActionForm(FlaskForm):
    """A button that changes an article (publish, delete, restore...): its CSRF token and the
    revision the page showed."""

    revision = IntegerField(validators=[InputRequired(), REVISION])


class ReviewForm(ActionForm):
    """An editor's decision on a translation under review: publish, or send back saying why."""

    comment = TextAreaField(_l("What to change (sent to the translator)"), [Length(max=2000)])


class NewArticleForm(FlaskForm):
    """Start an article: its language, title and publication time."""

    source = SelectField(_l("Source language"), choices=language_choices)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), _storable])
    published = DateTimeLocalField(
        _l("Publication date and time"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(), _archive_year],
    )


class SettingsForm(FlaskForm):
    """An article's settings: source language, publication time, status."""

    source = SelectField(_l("Source language"), choices=language_choices)
    published = DateTimeLocalField(
        _l("Publication date and time"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(), _archive_year],
    )
    status = RadioField(
        _l("Status"),
        choices=[
            SelectChoice("draft", _lp("status", "Draft")),
            SelectChoice("published", _l("Published at that time (scheduled if it is later)")),
        ],
    )
    revision = IntegerField(validators=[InputRequired(), REVISION])


def _slug(_form: FlaskForm, field: StringField) -> None:
    if field.data and not is_slug(field.data):
        raise ValidationError(_l("Use lower-case letters a-z, digits and hyphens only."))


class TranslationForm(FlaskForm):
    """One language of an article."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), _storable])
    slug = StringField(_l("Address (slug)"), validators=[Optional(), Length(max=100), _slug])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=2000), _storable])
    body = TextAreaField(_l("Text"), validators=[Length(max=500_000), _storable])
    minor = BooleanField(_l("Minor edit (a typo, a link): translations stay up to date"))
    revision = HiddenField()
    # Set once the editor has seen what sanitizing removes, or the Cyrillic made from Latin.
    confirmed_cleaning = HiddenField()
    confirmed_cyrillic = HiddenField()

    def expected_revision(self) -> int | None:
        """The revision the form was loaded from (None for a new translation)."""
        raw = self.revision.data or ""
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


class AccountForm(FlaskForm):
    """The signed-in user's own settings."""

    interface = SelectField(
        _l("Language of the back office"),
        choices=[SelectChoice(locale.prefix, locale.label) for locale in LOCALES],
    )


class PoUploadForm(FlaskForm):
    """A translated PO file, back from the translator's own tool."""

    # Translators: %(format)s is the file format's name, PO.
    file = FileField(_l("Translated %(format)s file", format="PO"), validators=[FileRequired()])
