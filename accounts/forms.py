from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """The login form; passes the request to authenticate() as django-axes requires."""

    error_messages = {
        "invalid_login": "Неверное имя пользователя или пароль. Обратите внимание: оба поля "
        "чувствительны к регистру.",
        "inactive": "Учётная запись отключена.",
    }
