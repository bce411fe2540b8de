"""Someone without the park's QR code finds the complaint form from the portal's front door."""

from django.urls import reverse

from tests.factories import ParkFactory


def test_the_public_list_shows_every_park_taking_complaints_and_leads_to_its_form(public, world):
    closed = ParkFactory(code="PARK-OLD", name="已撤并园区", is_active=False)
    page = public.get(reverse("complaints:choose-park"))
    assert page.status_code == 200
    html = page.content.decode()
    for park in (world["park_a"], world["park_b"]):
        assert park.name in html
        assert reverse("complaints:report", args=[park.code]) in html
    assert closed.name not in html
    assert reverse("complaints:track") in html


def test_the_search_narrows_by_name_or_region_and_says_when_nothing_matches(public, world):
    east = ParkFactory(code="PARK-E", name="东湖高新园", region="湖北省武汉市")
    by_name = public.get(reverse("complaints:choose-park"), {"q": "东湖"})
    assert list(by_name.context["parks"]) == [east]
    by_region = public.get(reverse("complaints:choose-park"), {"q": "武汉"})
    assert list(by_region.context["parks"]) == [east]
    assert by_region.context["query"] == "武汉"  # the box keeps what was typed
    nothing = public.get(reverse("complaints:choose-park"), {"q": "不存在的园区"})
    assert nothing.status_code == 200
    assert "没有匹配的园区" in nothing.content.decode()


def test_the_query_count_does_not_grow_with_parks(public, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3) as few:
        public.get(reverse("complaints:choose-park"))
    for n in range(20):
        ParkFactory(code=f"PARK-N{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(public.get(reverse("complaints:choose-park")).context["parks"]) == 22


def test_the_login_page_shows_the_public_the_way_in_without_an_account(public):
    html = public.get(reverse("login")).content.decode()
    assert reverse("complaints:choose-park") in html
    assert reverse("complaints:track") in html
