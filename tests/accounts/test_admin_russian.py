import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_index_has_no_english_section_headers(world, client_for):
    html = client_for(world.admin).get(reverse("admin:index")).content.decode()
    captions = re.findall(r"<caption>\s*<a[^>]*>(.*?)</a>", html, flags=re.S)
    models = re.findall(r'<th scope="row"[^>]*>\s*(?:<a[^>]*>)?(.*?)(?:</a>)?\s*</th>', html, flags=re.S)
    assert captions and models
    for text in captions + models:
        assert not re.search(r"[A-Za-z]", text), f"English in the admin index: {text!r}"
    assert "Защита входа" in html and "Мониторинг" in html
