"""The complaint form read with a screen reader: every field named by its label, and once sent with mistakes,
every invalid field marked invalid and described by its own error text (and its help text)."""

from html.parser import HTMLParser

from django.urls import reverse


class Page(HTMLParser):
    """The form controls (by name) and the text of every element with an id."""

    def __init__(self):
        super().__init__()
        self.controls, self.text_of, self.labels, self._open = {}, {}, {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea", "fieldset") and attrs.get("name", tag) != "csrfmiddlewaretoken":
            self.controls.setdefault(attrs.get("name") or attrs.get("id"), attrs)
        if tag == "label" and attrs.get("for"):
            self.labels[attrs["for"]] = True
        if tag not in ("input", "br", "hr", "img", "meta", "link"):
            self._open.append(attrs.get("id"))
            if attrs.get("id"):
                self.text_of[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag not in ("input", "br", "hr", "img", "meta", "link") and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.text_of[element_id] += data


def read(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


def test_every_field_of_the_complaint_form_has_a_label(public, world):
    page = read(public.get(reverse("complaints:report", args=[world["park_a"].code])))
    fields = {name: attrs for name, attrs in page.controls.items() if attrs.get("type") != "hidden"}
    assert {"category", "subject", "description", "is_anonymous", "contact_name", "files"} <= set(fields)
    assert all(page.labels.get(attrs["id"]) for attrs in fields.values()), fields
    # The anonymous switch is described by what it does, and what it hides is announced when it changes.
    assert fields["is_anonymous"]["aria-describedby"] == "id_is_anonymous_helptext"
    assert "查询码" in page.text_of["id_is_anonymous_helptext"]
    assert "anonymous-status" in page.text_of


def test_each_invalid_field_is_marked_and_described_by_its_error(public, world):
    response = public.post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {"category": "favours", "subject": "", "description": "", "contact_phone": "not a phone"},
    )
    assert response.status_code == 200
    page = read(response)
    form = response.context["form"]
    assert {"subject", "description", "contact_phone"} <= set(form.errors)
    for name, errors in form.errors.items():
        attrs = page.controls[name]
        assert attrs.get("aria-invalid") == "true", name
        described = attrs["aria-describedby"].split()
        error_id = f"id_{name}_error"
        assert error_id in described, (name, described)
        assert all(message in page.text_of[error_id] for message in errors), (name, page.text_of[error_id])
        assert all(i in page.text_of for i in described), f"{name} points at a missing id: {described}"
    valid = page.controls["category"]
    assert "aria-invalid" not in valid and "id_category_error" not in page.text_of
