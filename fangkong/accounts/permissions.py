"""Who may do what: the one table of roles and permissions (mirrored in docs/permissions.md).

A user holds one role in one region; the region bounds *where* (jurisdiction = its subtree), this table
bounds *what*. Everything else asks `has_perm`; no view or action tests role names itself.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMAND_OFFICE = "command_office", _("Command office")
    HEALTH_BUREAU = "health_bureau", _("Health bureau")
    TOWNSHIP_CADRE = "township_cadre", _("Township cadre")
    VILLAGE_CADRE = "village_cadre", _("Village cadre")
    GRID_WORKER = "grid_worker", _("Grid worker")
    CHECKPOINT_STAFF = "checkpoint_staff", _("Checkpoint staff")
    TESTING_STAFF = "testing_staff", _("Testing staff")
    INSPECTOR = "inspector", _("Inspector")
    LEADER = "leader", _("Leader (read-only)")
    # Issue 14: staff of a fever clinic, village clinic or pharmacy, bound to that facility.
    FACILITY_STAFF = "facility_staff", _("Medical facility staff")
    # Issue 17: a volunteer or party member of a field team; sees and completes only their own tasks.
    VOLUNTEER = "volunteer", _("Volunteer")


class Perm(StrEnum):
    REGIONS_VIEW = "regions.view"
    GRIDS_MANAGE = "regions.manage_grids"
    PEOPLE_VIEW = "people.view"
    PEOPLE_CHANGE = "people.change"
    PEOPLE_REVEAL = "people.reveal"
    PEOPLE_EXPORT = "people.export"
    AUDIT_VIEW = "audit.view"
    USERS_MANAGE = "accounts.manage_users"
    # Screening (issue: risk areas, returnees, push lists).
    SCREENING_VIEW = "screening.view"
    SCREENING_REGISTER = "screening.register"
    SCREENING_RULES = "screening.manage_rules"
    PUSHLIST_IMPORT = "screening.import_push_list"
    PUSHLIST_DISPATCH = "screening.dispatch"
    PUSHLIST_VERIFY = "screening.verify"
    # Command system (duty, daily reports, urgent reports, accountability, briefing).
    DUTY_VIEW = "command.view_duty"
    DUTY_MANAGE = "command.manage_duty"
    LEAVE_REQUEST = "command.request_leave"
    LEAVE_APPROVE = "command.approve_leave"
    REPORT_VIEW = "reporting.view"
    REPORT_FILE = "reporting.file"
    REPORT_REVIEW = "reporting.review"
    REPORT_FORMS = "reporting.manage_forms"
    URGENT_SEND = "reporting.send_urgent"
    URGENT_ACK = "reporting.acknowledge_urgent"
    ACCOUNTABILITY_EXPLAIN = "reporting.explain"
    ACCOUNTABILITY_DECIDE = "reporting.decide"
    BRIEFING_VIEW = "reporting.view_briefing"
    BRIEFING_EDIT = "reporting.edit_briefing"
    # Vaccination and supplies (issue 15a).
    VACCINATION_VIEW = "vaccination.view"
    VACCINATION_RECORD = "vaccination.record"
    VACCINATION_IMPORT = "vaccination.import"
    VACCINATION_MOBILISE = "vaccination.mobilise"
    SUPPLIES_VIEW = "supplies.view"
    SUPPLIES_MANAGE = "supplies.manage"
    # Supervision, venues and family events, publicity (issue 15, second half).
    SUPERVISION_VIEW = "supervision.view"
    SUPERVISION_INSPECT = "supervision.inspect"
    RECTIFICATION_REPORT = "supervision.report_fix"
    VENUES_VIEW = "venues.view"
    VENUES_MANAGE = "venues.manage"
    EVENTS_REGISTER = "venues.register_event"
    EVENTS_APPROVE = "venues.approve_event"
    PUBLICITY_RECORD = "publicity.record"
    # Control (issue 12: control orders, follow-ups, isolation sites, contacts).
    CONTROL_VIEW = "control.view"
    CONTROL_MANAGE = "control.manage"
    CONTROL_FOLLOW_UP = "control.follow_up"
    CONTROL_PROTOCOLS = "control.manage_protocols"
    # Testing and SMS (issue 13).
    TESTING_VIEW = "testing.view"
    TESTING_SAMPLE = "testing.sample"
    TESTING_MANAGE = "testing.manage"
    SMS_SEND = "notify.send_sms"
    # Checkpoints, cold chain, medical surveillance (issue 14).
    CHECKPOINT_VIEW = "checkpoints.view"
    CHECKPOINT_REGISTER = "checkpoints.register"
    CHECKPOINT_MANAGE = "checkpoints.manage"
    CHECKPOINT_INSPECT = "checkpoints.inspect"
    COLDCHAIN_VIEW = "coldchain.view"
    COLDCHAIN_MANAGE = "coldchain.manage"
    CLINICS_VIEW = "clinics.view"
    CLINICS_REGISTER = "clinics.register"
    CLINICS_FOLLOW_UP = "clinics.follow_up"
    # Field work (issue 17: disinfection log, volunteer teams, offline submissions).
    FIELDWORK_VIEW = "fieldwork.view"
    FIELDWORK_MANAGE = "fieldwork.manage"
    DISINFECTION_RECORD = "fieldwork.record_disinfection"
    FIELD_TASKS = "fieldwork.do_tasks"
    # Data lifecycle (issue 16): the retention policy, outbreaks, runs.
    RETENTION_MANAGE = "retention.manage"


P = Perm
_READ = {P.REGIONS_VIEW, P.PEOPLE_VIEW, P.SCREENING_VIEW, P.DUTY_VIEW, P.REPORT_VIEW, P.BRIEFING_VIEW}
_CADRE = _READ | {
    P.GRIDS_MANAGE,
    P.PEOPLE_CHANGE,
    P.PEOPLE_REVEAL,
    P.SCREENING_REGISTER,
    P.PUSHLIST_DISPATCH,
    P.PUSHLIST_VERIFY,
    P.DUTY_MANAGE,
    P.LEAVE_REQUEST,
    P.REPORT_FILE,
    P.REPORT_REVIEW,
    P.URGENT_SEND,
    P.ACCOUNTABILITY_EXPLAIN,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.COMMAND_OFFICE: frozenset(Perm),
    Role.HEALTH_BUREAU: frozenset(
        _READ
        | {
            P.PEOPLE_REVEAL,
            P.SCREENING_RULES,
            P.PUSHLIST_IMPORT,
            P.URGENT_SEND,
            P.URGENT_ACK,
            P.REPORT_FILE,
            P.ACCOUNTABILITY_EXPLAIN,
            P.LEAVE_REQUEST,
        }
    ),
    Role.TOWNSHIP_CADRE: frozenset(_CADRE | {P.LEAVE_APPROVE, P.PEOPLE_EXPORT, P.USERS_MANAGE}),
    Role.VILLAGE_CADRE: frozenset(_CADRE),
    Role.GRID_WORKER: frozenset(
        {
            P.REGIONS_VIEW,
            P.PEOPLE_VIEW,
            P.PEOPLE_CHANGE,
            P.PEOPLE_REVEAL,
            P.SCREENING_VIEW,
            P.SCREENING_REGISTER,
            P.PUSHLIST_VERIFY,
            P.DUTY_VIEW,
            P.LEAVE_REQUEST,
            P.URGENT_SEND,
        }
    ),
    Role.CHECKPOINT_STAFF: frozenset({P.REGIONS_VIEW, P.DUTY_VIEW, P.LEAVE_REQUEST, P.URGENT_SEND}),
    Role.TESTING_STAFF: frozenset(
        {P.REGIONS_VIEW, P.PEOPLE_VIEW, P.DUTY_VIEW, P.LEAVE_REQUEST, P.URGENT_SEND}
    ),
    Role.INSPECTOR: frozenset(_READ | {P.AUDIT_VIEW}),
    Role.LEADER: frozenset(_READ),
}

# Control (issue 12): appended so the table above stays as it was.
_CONTROL_GRANTS: dict[Role, set[Perm]] = {
    Role.HEALTH_BUREAU: {P.CONTROL_VIEW, P.CONTROL_MANAGE, P.CONTROL_PROTOCOLS},
    Role.TOWNSHIP_CADRE: {P.CONTROL_VIEW, P.CONTROL_MANAGE, P.CONTROL_FOLLOW_UP},
    Role.VILLAGE_CADRE: {P.CONTROL_VIEW, P.CONTROL_FOLLOW_UP},
    Role.GRID_WORKER: {P.CONTROL_VIEW, P.CONTROL_FOLLOW_UP},
    Role.INSPECTOR: {P.CONTROL_VIEW},
    Role.LEADER: {P.CONTROL_VIEW},
}
for _role, _perms in _CONTROL_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms


# Vaccination and supplies (issue 15a): everyone who reads the district's work reads coverage and stock; the
# health bureau imports the vaccination system's export and registers doses; townships and villages register
# doses, keep their warehouses and mobilise; the grid worker records why a person of the grid is unvaccinated.
_VACCSUPPLY_PERMS: dict[Role, set[Perm]] = {
    Role.HEALTH_BUREAU: {P.VACCINATION_VIEW, P.VACCINATION_RECORD, P.VACCINATION_IMPORT, P.SUPPLIES_VIEW},
    Role.TOWNSHIP_CADRE: {
        P.VACCINATION_VIEW,
        P.VACCINATION_RECORD,
        P.VACCINATION_MOBILISE,
        P.SUPPLIES_VIEW,
        P.SUPPLIES_MANAGE,
    },
    Role.VILLAGE_CADRE: {
        P.VACCINATION_VIEW,
        P.VACCINATION_RECORD,
        P.VACCINATION_MOBILISE,
        P.SUPPLIES_VIEW,
        P.SUPPLIES_MANAGE,
    },
    Role.GRID_WORKER: {P.VACCINATION_VIEW, P.VACCINATION_MOBILISE},
    Role.TESTING_STAFF: {P.SUPPLIES_VIEW},
    Role.INSPECTOR: {P.VACCINATION_VIEW, P.SUPPLIES_VIEW},
    Role.LEADER: {P.VACCINATION_VIEW, P.SUPPLIES_VIEW},
}
for _role, _perms in _VACCSUPPLY_PERMS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms


# Supervision, venues and family events, publicity (issue 15, second half): the inspector does the inspecting,
# units report their fixes, villages and townships approve family events and keep publicity tallies.
_SUPERVISION_GRANTS: dict[Role, set[Perm]] = {
    Role.TOWNSHIP_CADRE: {
        P.SUPERVISION_VIEW,
        P.RECTIFICATION_REPORT,
        P.VENUES_VIEW,
        P.VENUES_MANAGE,
        P.EVENTS_REGISTER,
        P.EVENTS_APPROVE,
        P.PUBLICITY_RECORD,
    },
    Role.VILLAGE_CADRE: {
        P.SUPERVISION_VIEW,
        P.RECTIFICATION_REPORT,
        P.VENUES_VIEW,
        P.EVENTS_REGISTER,
        P.EVENTS_APPROVE,
        P.PUBLICITY_RECORD,
    },
    Role.GRID_WORKER: {P.EVENTS_REGISTER},
    Role.INSPECTOR: {P.SUPERVISION_VIEW, P.SUPERVISION_INSPECT, P.VENUES_VIEW},
    Role.LEADER: {P.SUPERVISION_VIEW, P.VENUES_VIEW},
}
for _role, _perms in _SUPERVISION_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms
# Testing and SMS (issue 13): testing staff run points, rounds, samples and lab results; townships open points and
# rounds for their units and remind people by SMS; villages and grid workers see who is untested and recalled.
_TESTING_READ = frozenset({P.TESTING_VIEW})
for _role in (Role.VILLAGE_CADRE, Role.GRID_WORKER, Role.INSPECTOR, Role.LEADER):
    ROLE_PERMISSIONS[_role] |= _TESTING_READ
ROLE_PERMISSIONS[Role.HEALTH_BUREAU] |= {P.TESTING_VIEW, P.TESTING_MANAGE, P.SMS_SEND}
ROLE_PERMISSIONS[Role.TOWNSHIP_CADRE] |= {P.TESTING_VIEW, P.TESTING_MANAGE, P.SMS_SEND}
ROLE_PERMISSIONS[Role.TESTING_STAFF] |= {P.TESTING_VIEW, P.TESTING_SAMPLE, P.TESTING_MANAGE}
# Checkpoints, cold chain, medical surveillance (issue 14): added to the roles above.
_ISSUE14_GRANTS: dict[Role, set[Perm]] = {
    Role.HEALTH_BUREAU: {P.CHECKPOINT_VIEW, P.COLDCHAIN_VIEW, P.COLDCHAIN_MANAGE, P.CLINICS_VIEW},
    Role.TOWNSHIP_CADRE: {
        P.CHECKPOINT_VIEW,
        P.CHECKPOINT_REGISTER,
        P.CHECKPOINT_MANAGE,
        P.COLDCHAIN_VIEW,
        P.COLDCHAIN_MANAGE,
        P.CLINICS_VIEW,
        P.CLINICS_FOLLOW_UP,
    },
    Role.VILLAGE_CADRE: {P.CHECKPOINT_VIEW, P.CLINICS_VIEW, P.CLINICS_FOLLOW_UP},
    Role.GRID_WORKER: {P.CLINICS_VIEW, P.CLINICS_FOLLOW_UP},
    Role.CHECKPOINT_STAFF: {P.CHECKPOINT_VIEW, P.CHECKPOINT_REGISTER},
    Role.INSPECTOR: {P.CHECKPOINT_VIEW, P.CHECKPOINT_INSPECT, P.COLDCHAIN_VIEW, P.CLINICS_VIEW},
    Role.LEADER: {P.CHECKPOINT_VIEW, P.COLDCHAIN_VIEW, P.CLINICS_VIEW},
    Role.FACILITY_STAFF: {P.CLINICS_VIEW, P.CLINICS_REGISTER},
}
for _role, _perms in _ISSUE14_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS.get(_role, frozenset()) | _perms


# Field work (issue 17): cadres keep places, teams and tasks; grid workers record disinfections and do tasks; the
# volunteer holds nothing but their own tasks (no registry, no region pages, no reports).
_FIELDWORK_GRANTS: dict[Role, set[Perm]] = {
    Role.TOWNSHIP_CADRE: {P.FIELDWORK_VIEW, P.FIELDWORK_MANAGE, P.DISINFECTION_RECORD, P.FIELD_TASKS},
    Role.VILLAGE_CADRE: {P.FIELDWORK_VIEW, P.FIELDWORK_MANAGE, P.DISINFECTION_RECORD, P.FIELD_TASKS},
    Role.GRID_WORKER: {P.FIELDWORK_VIEW, P.DISINFECTION_RECORD, P.FIELD_TASKS},
    Role.CHECKPOINT_STAFF: {P.DISINFECTION_RECORD},
    Role.HEALTH_BUREAU: {P.FIELDWORK_VIEW},
    Role.INSPECTOR: {P.FIELDWORK_VIEW},
    Role.LEADER: {P.FIELDWORK_VIEW},
    Role.VOLUNTEER: {P.FIELD_TASKS},
}
for _role, _perms in _FIELDWORK_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS.get(_role, frozenset()) | _perms


# Which roles a user who manages users may give, inside their own jurisdiction: the command office staffs the
# whole district; a township staffs its villages, grids, checkpoints and testing points.
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.COMMAND_OFFICE: frozenset(Role),
    Role.TOWNSHIP_CADRE: frozenset(
        {Role.VILLAGE_CADRE, Role.GRID_WORKER, Role.CHECKPOINT_STAFF, Role.TESTING_STAFF}
    ),
}
GRANTABLE_ROLES[Role.TOWNSHIP_CADRE] |= {Role.FACILITY_STAFF}  # issue 14
GRANTABLE_ROLES[Role.TOWNSHIP_CADRE] |= {Role.VOLUNTEER}  # issue 17


def grantable_roles(role: str) -> frozenset[Role]:
    """The roles a holder of `role` may give (and so manage); none for an empty or unknown role."""
    return GRANTABLE_ROLES.get(Role(role), frozenset()) if role in Role.values else frozenset()
