"""/api/v1/fhir/: Patient, Observation and Immunization as FHIR R4 (validated again here with the library's own R4B
models, not only by the code that built them), paged with Bundle links, scoped to the caller's jurisdiction, the ID
number in full only for callers allowed to reveal it — and then audited."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.people.tests.helpers import create_person
from fangkong.testing.actions import do_create_point, do_import_results, do_register_sample
from fangkong.vaccination.actions import do_register_dose
from fangkong.vaccination.models import VaccineProduct

NOW = datetime.datetime(2021, 8, 3, 9, 0, tzinfo=SHANGHAI)
OID = "urn:oid:2.16.156.10011.1.3"
ID_A = "410901198001010015"


@pytest.fixture
def people(district):
    a = create_person(district.grid_a, "甲镇张三", document_number=ID_A, phone="13900000001")
    b = create_person(district.grid_b, "乙镇李四", phone="13900000002")
    return a, b


def get_bundle(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    Bundle.model_validate(body)
    return body


def test_patients_are_valid_fhir_masked_and_scoped(district, people, cadre_a, client_for):
    body = get_bundle(client_for(cadre_a), "/api/v1/fhir/Patient")
    names = [e["resource"]["name"][0]["text"] for e in body["entry"]]
    assert names == ["甲镇张三"]  # not township B's person
    resource = body["entry"][0]["resource"]
    Patient.model_validate(resource)
    identifier = resource["identifier"][0]
    assert identifier["system"] == OID
    assert ID_A not in str(body) and "13900000001" not in str(body)
    assert identifier["extension"][0]["valueCode"] == "masked"
    assert resource["birthDate"] == "1980"  # the year only, as every masked page shows


def test_a_caller_who_may_reveal_gets_the_full_number_and_each_view_is_audited(
    district, people, command_user, client_for
):
    before = AuditEvent.objects.filter(action=AuditAction.REVEAL).count()
    body = get_bundle(
        client_for(command_user), "/api/v1/fhir/Patient", identifier=f"{OID}|{ID_A}", reveal="true"
    )
    assert len(body["entry"]) == 1
    resource = body["entry"][0]["resource"]
    assert resource["identifier"][0] == {"use": "official", "system": OID, "value": ID_A}
    assert resource["birthDate"] == "1980-01-01"
    assert {"system": "phone", "value": "+8613900000001", "use": "mobile"} in resource["telecom"]
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL).count() == before + 1


def test_pages_follow_next_links_and_read_one_patient(district, cadre_a, client_for):
    for i in range(7):
        create_person(district.grid_a, f"居民{i}")
    client = client_for(cadre_a)
    seen, url, params = [], "/api/v1/fhir/Patient", {"_count": "3"}
    while True:
        body = get_bundle(client, url, **params)
        seen += [e["resource"]["id"] for e in body["entry"]]
        following = [link["url"] for link in body["link"] if link["relation"] == "next"]
        if not following:
            break
        url, params = following[0].removeprefix("http://testserver"), {}
    assert len(seen) == len(set(seen)) == 7
    one = client.get(f"/api/v1/fhir/Patient/{seen[0]}")
    assert one.status_code == 200 and Patient.model_validate(one.json()).id == seen[0]


def test_errors_are_operation_outcomes_in_chinese(district, people, cadre_a, client_for):
    client = client_for(cadre_a)
    other = client.get(f"/api/v1/fhir/Patient/{people[1].uuid}")  # township B's: as if it did not exist
    assert other.status_code == 404
    OperationOutcome.model_validate(other.json())
    bad = client.get("/api/v1/fhir/Patient", {"_count": "lots"})
    assert bad.status_code == 400
    OperationOutcome.model_validate(bad.json())
    assert "整数" in bad.json()["issue"][0]["diagnostics"]
    assert client.get("/api/v1/fhir/Observation", {"subject": "Patient/xyz"}).status_code == 400


def test_lab_results_are_observations_with_loinc_and_snomed(
    district, people, cadre_a, client_for, tmp_path: Path
):
    staff = make_user("jiance-fhir", Role.TESTING_STAFF, district.county)
    point = do_create_point(
        staff,
        region=district.township_a,
        name="采样点",
        address="镇政府",
        opening_hours="08:00",
        desks=1,
        now=NOW,
    )
    other = create_person(district.grid_a, "甲镇王五")
    for person in (people[0], other):
        do_register_sample(
            staff, point=point, barcode="S0001", person=person, capacity=5, now=NOW, purpose="other"
        )
    do_register_sample(
        staff, point=point, barcode="S0002", person=people[1], capacity=1, now=NOW, purpose="other"
    )
    from fangkong.testing.actions import do_close_tube
    from fangkong.testing.models import Tube

    do_close_tube(staff, Tube.objects.get(barcode="S0001"), now=NOW)
    lab = tmp_path / "lab.csv"
    lab.write_text(
        "条码,结果,ORF1ab,N,检测时间,检测机构\nS0001,阴性,,,2021-08-03 14:00,市疾控\nS0002,阳性,30,31,2021-08-03 14:00,市疾控\n",
        encoding="utf-8",
    )
    assert do_import_results(staff, lab, "lab.csv", now=NOW + datetime.timedelta(hours=6)).status == "done"

    body = get_bundle(client_for(cadre_a), "/api/v1/fhir/Observation", subject=f"Patient/{people[0].uuid}")
    assert len(body["entry"]) == 1
    resource = body["entry"][0]["resource"]
    Observation.model_validate(resource)
    assert resource["code"]["coding"][0]["system"] == "http://loinc.org"
    assert resource["code"]["coding"][0]["code"] == "94500-6"
    assert resource["valueCodeableConcept"]["coding"][0]["code"] == "260415000"  # not detected
    assert resource["subject"]["reference"] == f"Patient/{people[0].uuid}"
    assert resource["method"]["text"] == "5合1混采"
    everything = get_bundle(client_for(cadre_a), "/api/v1/fhir/Observation")
    assert (
        len(everything["entry"]) == 2
    )  # the pool's two members of township A; B's positive tube is not there
    assert "260373001" not in str(everything)


def test_doses_are_immunizations_scoped_to_the_jurisdiction(
    district, people, command_user, cadre_a, client_for
):
    product = VaccineProduct.objects.create(
        name="新冠病毒灭活疫苗（Vero细胞）", manufacturer="北京生物", course_doses=2
    )
    for person in people:
        do_register_dose(
            command_user,
            person,
            product=product,
            dose_number=1,
            vaccinated_on=datetime.date(2021, 7, 1),
            site=None,
            lot="202106A",
            now=NOW,
        )
    body = get_bundle(client_for(cadre_a), "/api/v1/fhir/Immunization")
    assert len(body["entry"]) == 1
    dose = body["entry"][0]["resource"]
    Immunization.model_validate(dose)
    assert dose["patient"]["reference"] == f"Patient/{people[0].uuid}"
    assert dose["lotNumber"] == "202106A"
    assert "213" in {c["code"] for c in dose["vaccineCode"]["coding"]}
    assert dose["protocolApplied"][0] == {"doseNumberPositiveInt": 1, "seriesDosesPositiveInt": 2}


def test_the_capability_statement_validates(district, cadre_a, client_for):
    response = client_for(cadre_a).get("/api/v1/fhir/metadata")
    assert CapabilityStatement.model_validate(response.json()).fhirVersion == "4.3.0"


def test_reveal_is_refused_to_a_caller_without_the_permission(district, people, client_for):
    leader = make_user("lingdao-fhir", Role.LEADER, district.county)
    response = client_for(leader).get("/api/v1/fhir/Patient", {"reveal": "true"})
    assert response.status_code == 403
    assert ID_A not in response.content.decode()
    OperationOutcome.model_validate(response.json())


def test_anonymous_callers_get_nothing(district, people, client):
    assert client.get("/api/v1/fhir/Patient").status_code == 401
