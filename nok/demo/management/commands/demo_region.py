from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from nok.demo.builder import ADMIN_LABEL, DEMO_PASSWORD, DemoBuilder, demo_exists


class Command(BaseCommand):
    help = (
        "Builds the demo region (55 organizations, 7 types of seed 004, a social-2018 campaign "
        "with synthetic checklists, calls and survey responses, and the two earlier campaigns "
        "published with improvement plans), computes it and prints the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="flush the database first")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--limit", type=int, default=None,
                            help="build only this many organizations (spread over the types)")

    def handle(self, *args: Any, reset: bool, seed: int, limit: int | None, **options: Any) -> None:
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Демо-регион уже построен (--reset, чтобы построить заново).")
            self._print_logins([("operator", "Оператор"), ("ministry", "Министерство"),
                                ("council", "Общественный совет"), ("admin", ADMIN_LABEL),
                                ("org", "Организация")])
            return
        self.stdout.write(f"Строю демо-регион ({limit or 55} организаций Кемеровской области)…")
        summary = DemoBuilder(seed=seed, limit=limit, progress=self.stdout.write).build()
        campaign = summary.campaign
        self.stdout.write(self.style.SUCCESS(
            f"Готово: «{campaign}», организаций: {summary.organizations}, анкет: {summary.responses}, "
            f"флагов качества: {summary.flagged}."
        ))
        self.stdout.write(
            f"Прошлые кампании: {', '.join(str(c.year) for c in summary.earlier)} (опубликованы), "
            f"планов по устранению недостатков: {summary.plans}.")
        self._print_logins([(u, role) for u, _, role in summary.logins])

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        # The address the site is served on: `make demo` sets NOK_SITE_URL from HOST and PORT.
        self.stdout.write(f"Вход: {settings.SITE_URL.rstrip('/')}/login/")
        for username, role in logins:
            self.stdout.write(f"  {username:<10} пароль {DEMO_PASSWORD:<15} {role}")
