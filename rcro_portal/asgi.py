import os

from django.core.asgi import get_asgi_application

from core.startup import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcro_portal.settings")

application = get_asgi_application()
freeze_startup_objects()
