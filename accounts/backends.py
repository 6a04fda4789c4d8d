"""Log in with a username or an e-mail address (the address in any letter case)."""

from django.contrib.auth.backends import ModelBackend

from .models import User


def _user_by_login(login: str) -> User | None:
    login = (login or "").strip()
    if not login:
        return None
    if "@" in login:
        matches = list(User.objects.filter(email__iexact=login)[:2])
        if len(matches) == 1:
            return matches[0]
    return User.objects.filter(username=login).first()


class EmailOrUsernameBackend(ModelBackend):
    """Django's model backend, finding the person by e-mail address as well as by username.

    An address held by two accounts logs nobody in by address (the username still works).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = _user_by_login(username)
        if user is None:
            # Run the hasher anyway, so that timing does not tell whether the account exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in person on every request, with the school or municipality every page's
        navigation names (one query instead of two)."""
        try:
            user = User._default_manager.select_related("school", "municipality").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def axes_username(request, credentials=None) -> str:
    """The name django-axes counts failed attempts under: the account's username whether the
    person typed it or their e-mail address, so one lockout covers both ways of logging in."""
    if credentials and credentials.get("username") is not None:
        login = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        login = data.get("username", "")
    login = (login or "").strip()
    user = _user_by_login(login)
    if user is not None:
        return user.username
    return login.lower() if "@" in login else login
