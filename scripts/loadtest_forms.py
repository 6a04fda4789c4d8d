"""What a browser would send for a form of a portal page (the load test's virtual users)."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser would send for the form ``id``: (name, value) pairs in order."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[list[str]] = []
        self._select: dict | None = None
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([name, a.get("value", "on" if kind in ("checkbox", "radio") else "")])
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a and self._select["chosen"] is None:
                self._select["chosen"] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            self.fields.append([self._select["name"], chosen or ""])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self.fields.append([self._textarea[0], value[1:] if value.startswith("\n") else value])
            self._textarea = None


def form_fields(html: str, form_id: str = "report-form") -> list[list[str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields
