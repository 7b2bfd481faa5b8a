from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's sign-in form with its user name's length enforced, not only hinted.

    AuthenticationForm sets the field's max_length after building it, so no validator checks it: a megabyte
    user name reached authenticate() and django-axes' 255-character column (a 500 on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))
