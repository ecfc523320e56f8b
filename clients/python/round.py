"""A whole coupling round driven through the generated Python client (`koppel_client`).

Usage: round.py BASE_URL MAIL_FOLDER

The server is a fresh one with the demo data (for its administrator) and a mail sink writing to
MAIL_FOLDER, from which the invitation links are read. The administrator creates an institute and
invites its A-team and O-team; they import trainees and trainers as CSV, create a round and add
the participants, who activate their accounts; the trainees write their profile and upload a CV;
everyone ranks; the A-team makes and publishes the interview proposal, runs the matcher and
publishes the coupling; finally each person reads their own result. Exits non-zero on the first
surprise.
"""

import base64
import hashlib
import hmac
import json
import struct
import sys
import time
from pathlib import Path

from koppel_client import AuthenticatedClient, Client
from koppel_client.api.auth import activate_account, login
from koppel_client.api.coupling import (
    create_coupling_run,
    get_my_coupling,
    publish_coupling_run,
    submit_final_ranking,
)
from koppel_client.api.institutes import create_institute, invite_user
from koppel_client.api.people import import_trainees, import_trainers
from koppel_client.api.profiles import (
    get_trainee_cv,
    save_my_trainee_profile,
    upload_my_cv,
)
from koppel_client.api.rounds import (
    add_round_trainee,
    add_round_trainer,
    create_round,
    transition_round,
)
from koppel_client.api.steps import (
    generate_interview_proposal,
    get_my_interviews,
    list_rankable_trainers,
    publish_interview_proposal,
    submit_preferences,
)
from koppel_client.models import (
    ActivateRequest,
    AddRoundTraineeRequest,
    AddRoundTrainerRequest,
    CouplingRunRequest,
    CreateInstituteRequest,
    CreateRoundRequest,
    FinalRankingRequest,
    InviteUserRequest,
    LoginRequest,
    PreferencesRequest,
    TraineeProfileRequest,
    TransitionRequest,
)
from koppel_client.types import File

PASSWORD = "een-goed-wachtwoord"
DEMO_PASSWORD = "demo-wachtwoord"
# The demo administrator's second factor (see crates/api/src/seed.rs).
ADMIN_EMAIL = "admin@demo.koppel.test"
ADMIN_TOTP_SECRET = "KOPPELDEMOADMINTOTPSECRETA234567"
# A minimal PDF: the server checks the content, not the name.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def totp(secret: str, at: float) -> str:
    """The RFC 6238 code (HMAC-SHA1, 6 digits, 30 seconds) of a base32 secret at a time."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def ok(response, what: str):
    """The parsed answer of a call that must succeed."""
    if not 200 <= response.status_code < 300:
        raise SystemExit(f"{what}: HTTP {response.status_code}: {response.content.decode(errors='replace')}")
    return response.parsed


class Koppel:
    """The server, and how to sign in to it."""

    def __init__(self, base_url: str, mail_folder: str):
        self.base_url = base_url
        self.mail = Path(mail_folder)
        self.anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)

    def as_user(self, token: str) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=self.base_url, token=token, raise_on_unexpected_status=True)

    def sign_in(self, email: str, password: str, code: str | None = None) -> AuthenticatedClient:
        body = {"email": email, "password": password}
        if code:
            body["one_time_code"] = code
        tokens = ok(login.sync_detailed(client=self.anonymous, body=LoginRequest.from_dict(body)), f"sign-in {email}")
        return self.as_user(tokens.access_token)

    def activate(self, email: str) -> AuthenticatedClient:
        """Activates the account invited at `email` with the link from its mail."""
        marker = "/activate?token="
        for _ in range(300):
            for path in sorted(self.mail.glob("*.json"), reverse=True):
                mail = json.loads(path.read_text())
                if email in mail["recipients"] and marker in mail["body"]:
                    token = mail["body"].split(marker, 1)[1].split()[0]
                    body = ActivateRequest.from_dict({"token": token, "password": PASSWORD})
                    tokens = ok(activate_account.sync_detailed(client=self.anonymous, body=body), f"activation of {email}")
                    return self.as_user(tokens.access_token)
            time.sleep(0.1)
        raise SystemExit(f"no invitation mail reached {email}")


def csv_file(text: str, name: str) -> File:
    from io import BytesIO

    return File(payload=BytesIO(text.encode()), file_name=name, mime_type="text/csv")


def main(base_url: str, mail_folder: str) -> None:
    koppel = Koppel(base_url, mail_folder)
    admin = koppel.sign_in(ADMIN_EMAIL, DEMO_PASSWORD, totp(ADMIN_TOTP_SECRET, time.time()))
    institute = ok(
        create_institute.sync_detailed(client=admin, body=CreateInstituteRequest.from_dict({"name": "Huisartsopleiding Klant"})),
        "institute",
    ).id
    print(f"institute {institute}")
    teams = {}
    for role, email in [("trainee_team", "a-team@klant.example"), ("trainer_team", "o-team@klant.example")]:
        body = InviteUserRequest.from_dict({"email": email, "display_name": role, "role": role})
        ok(invite_user.sync_detailed(institute, client=admin, body=body), f"invitation of {email}")
        teams[role] = koppel.activate(email)
    a_team, o_team = teams["trainee_team"], teams["trainer_team"]

    trainees = [(f"Aios {i}", f"aios{i}@klant.example") for i in range(1, 4)]
    trainers = [(f"Dr. Opleider {i}", f"opleider{i}@klant.example") for i in range(1, 6)]
    rows = "".join(f"{name},{email},2027-09-01,1,0,\n" for name, email in trainees)
    imported = ok(
        import_trainees.sync_detailed(
            institute,
            client=a_team,
            body=csv_file("name,email,training_start,part_time_factor,leave_days,history\n" + rows, "aios.csv"),
        ),
        "trainee import",
    )
    assert imported.imported == len(trainees), imported
    rows = "".join(f"{name},{email},true,true,true,,\n" for name, email in trainers)
    imported = ok(
        import_trainers.sync_detailed(
            institute,
            client=o_team,
            body=csv_file("name,email,eligible_year1,eligible_year3,large_scale_structure,last_trainee_end,practice_id\n" + rows, "opleiders.csv"),
        ),
        "trainer import",
    )
    assert imported.imported == len(trainers), imported
    print(f"imported {len(trainees)} trainees and {len(trainers)} trainers as CSV")

    round_ = ok(
        create_round.sync_detailed(institute, client=a_team, body=CreateRoundRequest.from_dict({"start_month": "september", "start_year": 2027})),
        "round",
    )
    round_id = round_.id
    print(f"round {round_id}")
    from koppel_client.api.rounds import list_candidate_trainers, list_due_trainees

    due = ok(list_due_trainees.sync_detailed(round_id, client=a_team), "due trainees").items
    for trainee in due:
        body = AddRoundTraineeRequest.from_dict({"trainee_id": str(trainee.trainee_id)})
        ok(add_round_trainee.sync_detailed(round_id, client=a_team, body=body), "adding a trainee")
    candidates = ok(list_candidate_trainers.sync_detailed(round_id, client=o_team), "candidate trainers").items
    for trainer in candidates:
        body = AddRoundTrainerRequest.from_dict({"trainer_id": str(trainer.trainer_id)})
        ok(add_round_trainer.sync_detailed(round_id, client=o_team, body=body), "adding a trainer")
    assert len(due) == len(trainees) and len(candidates) == len(trainers), (len(due), len(candidates))
    people = {email: koppel.activate(email) for _, email in trainees + trainers}
    print(f"{len(people)} participants activated their accounts from the invitation mail")

    def move(to: str) -> None:
        ok(transition_round.sync_detailed(round_id, client=a_team, body=TransitionRequest.from_dict({"to": to})), f"to {to}")

    # Step 1: profiles with a CV.
    move("profiles")
    for name, email in trainees:
        body = TraineeProfileRequest.from_dict({"introduction": f"Ik ben {name}.", "experience": "Coschappen.", "learning_wishes": "Palliatieve zorg."})
        ok(save_my_trainee_profile.sync_detailed(client=people[email], body=body), "profile")
        cv = File(payload=__import__("io").BytesIO(PDF), file_name="cv.pdf", mime_type="application/pdf")
        ok(upload_my_cv.sync_detailed(client=people[email], body=cv), "CV upload")
    first = due[0].trainee_id
    cv = ok(get_trainee_cv.sync_detailed(institute, first, client=a_team), "CV download")
    assert cv.payload.read() == PDF, "the CV reads back"
    print("profiles written, CVs uploaded and read back")

    # Step 2: preferences, then the interview proposal.
    move("preferences")
    for _, email in trainees:
        rankable = ok(list_rankable_trainers.sync_detailed(round_id, client=people[email]), "rankable trainers")
        body = PreferencesRequest.from_dict({"trainer_ids": [str(t.trainer_id) for t in rankable.items]})
        ok(submit_preferences.sync_detailed(round_id, client=people[email], body=body), "preferences")
    proposal = ok(generate_interview_proposal.sync_detailed(round_id, client=a_team), "interview proposal")
    ok(publish_interview_proposal.sync_detailed(round_id, client=a_team), "publication of the proposal")
    print(f"preferences submitted; interview proposal published ({len(proposal.to_dict()['interviews'])} interviews)")

    # Step 3: both sides rank whom they spoke with.
    move("interviews")
    for _, email in trainees + trainers:
        mine = ok(get_my_interviews.sync_detailed(round_id, client=people[email]), "my interviews")
        if not mine.items:
            continue
        side = "trainer_id" if email.startswith("aios") else "trainee_id"
        ranks = [{"counterpart_id": str(item.to_dict()[side]), "rank": i + 1} for i, item in enumerate(mine.items)]
        ok(submit_final_ranking.sync_detailed(round_id, client=people[email], body=FinalRankingRequest.from_dict({"ranks": ranks})), "final ranking")
    print("final rankings submitted by both sides")

    # The coupling: a run, published.
    move("coupling")
    run = ok(create_coupling_run.sync_detailed(round_id, client=a_team, body=CouplingRunRequest.from_dict({"objective": "total"})), "coupling run")
    result = run.to_dict()["result"]
    assert result["matched"] == len(trainees), result
    ok(publish_coupling_run.sync_detailed(round_id, run.run.id, client=a_team), "publication")
    print(f"run {run.run.id}: {result['matched']} coupled, total rank {result['total_rank']}; published")

    # Each person's own result.
    for name, email in trainees + trainers:
        mine = ok(get_my_coupling.sync_detailed(round_id, client=people[email]), f"result of {email}").to_dict()
        assert email.startswith("opleider") or mine["coupled"], mine
        partner = ", ".join(c["name"] for c in mine.get("counterparts") or []) or mine.get("name") or "-"
        print(f"  {name}: {'gekoppeld aan ' + partner if mine['coupled'] else 'niet gekoppeld'}")
    print("python client: a whole round, OK")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
