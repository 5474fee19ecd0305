"""The seven organization types of the 2016 regional rating (seed 004), names exactly as printed."""

from django.db import migrations

BUILTIN_TYPES = [
    ("Областные дома ветеранов", "Дома ветеранов"),
    ("Центры социального обслуживания населения", "ЦСОН"),
    (
        "Центры социальной адаптации населения, дом ночного пребывания, "
        "дом временного и ночного пребывания",
        "Центры социальной адаптации",
    ),
    (
        "Специализированные учреждения для несовершеннолетних, нуждающиеся в социальной "
        "реабилитации (стационарная + дневная сеть)",
        "Учреждения для несовершеннолетних",
    ),
    ("Центры психолого-педагогической помощи населению", "Центры ППП"),
    (
        "Реабилитационные центры для детей с ограниченными возможностями "
        "(стационарная + дневная сеть)",
        "Реабилитационные центры для детей",
    ),
    ("Центры социальной помощи семье и детям", "Центры помощи семье и детям"),
]


def create_builtin_types(apps, schema_editor):
    OrganizationType = apps.get_model("organizations", "OrganizationType")
    for position, (name, short_name) in enumerate(BUILTIN_TYPES, start=1):
        OrganizationType.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "builtin": True, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_inn_checksum")]

    operations = [migrations.RunPython(create_builtin_types, migrations.RunPython.noop)]
