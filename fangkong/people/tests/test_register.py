import pytest
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.people.actions import do_deactivate_person, do_register_person, do_update_person
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person, new_id


def test_it_registers_a_person_with_facts_from_the_id_number(district, cadre_a):
    number = new_id()
    person, created = do_register_person(
        cadre_a, name="李四", region=district.grid_a, document_number=number, phone="139 0000 1111"
    )
    assert created
    assert person.birth_date is not None and person.birth_date.year == 1990
    assert person.sex in ("M", "F")
    assert person.phone == "+8613900001111"
    assert person.name_initials == "ls"
    event = AuditEvent.objects.get(object_uuid=person.uuid)
    assert event.action == AuditAction.CREATE
    assert event.actor == cadre_a
    # The audit log never holds a full number.
    assert number not in str(event.changes)
    assert event.changes["document_number"][1] == person.masked_document


def test_registering_an_existing_number_finds_that_person(district):
    first = create_person(district.grid_a, "王五")
    again, created = do_register_person(
        None, name="王五五", region=district.grid_b, document_number=first.document_number.lower()
    )
    assert not created
    assert again.pk == first.pk
    assert Person.objects.count() == 1


def test_a_legacy_15_digit_number_is_upgraded(district):
    person, _ = do_register_person(
        None, name="赵六", region=district.village_a, document_number="410928900101123"
    )
    assert person.document_number.startswith("41092819900101123")
    assert len(person.document_number) == 18


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("document_number", {"document_number": "410928199001011230"}),
        ("phone", {"document_number": "", "phone": "12345"}),
        ("name", {"name": " "}),
        ("region", {"region_level": "township"}),
    ],
)
def test_bad_input_is_refused_with_a_field_error(district, field, kwargs):
    region = district.township_a if kwargs.pop("region_level", None) else district.village_a
    kwargs.setdefault("name", "张三")
    with pytest.raises(ValidationError) as info:
        do_register_person(None, region=region, **kwargs)
    assert field in info.value.message_dict
    assert Person.objects.count() == 0


def test_a_change_is_audited_field_by_field(district, cadre_a):
    person = create_person(district.grid_a)
    do_update_person(cadre_a, person, address="王助村8号", phone="13900002222")
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.changes["address"] == ["", "王助村8号"]
    assert event.changes["phone"] == ["139****0000", "139****2222"]


def test_a_change_to_another_persons_number_is_refused(district):
    a = create_person(district.grid_a, "甲")
    b = create_person(district.grid_a, "乙")
    with pytest.raises(ValidationError):
        do_update_person(None, b, document_number=a.document_number)


def test_a_deactivated_person_frees_the_number(district):
    person = create_person(district.grid_a)
    do_deactivate_person(None, person, "重复登记")
    again, created = do_register_person(
        None, name="张三", region=district.grid_a, document_number=person.document_number
    )
    assert created and again.pk != person.pk
    assert Person.objects.count() == 2
