"""What the URL × role walk (tests/security/test_url_walk.py) found in the API's routes, held here by name."""

import pytest
from django.urls import reverse

from tests.api.test_matrix import objects  # noqa: F401 - the fixture: one object of each resource per park


def test_a_workflow_step_with_a_format_suffix_is_not_a_server_error(client, world, objects):  # noqa: F811
    """``/api/complaints/<id>/accept.json`` reached the action with a ``format`` argument it does not
    take: a 500. The API has no ``.json`` twins of its routes; ``Accept`` chooses the format."""
    client.force_login(world["inspector"])
    complaint = objects["complaint_a"]
    response = client.post(f"/api/complaints/{complaint.pk}/accept.json", content_type="application/json")
    assert response.status_code == 404
    assert client.get(f"/api/subsidies/{objects['subsidy_a'].pk}/payments.json").status_code == 404
    assert client.get(reverse("complaint-timeline", args=[complaint.pk])).status_code == 200


@pytest.mark.parametrize(
    ("resource", "step"),
    [("alert", "dismiss"), ("inspection", "step"), ("task", "submit"), ("task", "return"), ("demand", "solve")],
)
def test_a_step_on_another_parks_object_is_not_found_whatever_the_body(client, world, objects, resource, step):  # noqa: F811
    """The body used to be checked before the object was looked up: an inspector of park A got "400
    reason missing" for park B's alert where "404" is due, as for any object outside the scope."""
    client.force_login(world["inspector"])
    response = client.post(
        reverse(f"{resource}-{step}", args=[objects[f"{resource}_b"].pk]), {}, content_type="application/json"
    )
    assert response.status_code == 404
