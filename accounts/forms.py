from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """The login form; passes the request to authenticate() as django-axes requires."""

    error_messages = {
        "invalid_login": "Неверное имя пользователя или пароль. Вместо имени пользователя можно указать "
        "адрес электронной почты; пароль чувствителен к регистру.",
        "inactive": "Учётная запись отключена.",
    }
