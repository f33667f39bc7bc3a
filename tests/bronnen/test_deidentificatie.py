"""De-identificatie van verhalen aan de deur: Deduce, en de labels van Deduce in gewoon Nederlands.

De vertaling staat in de seed dbt_project/seeds/deidentificatie_labels.csv. Deze tests houden haar volledig voor
de geïnstalleerde versie van Deduce: elk label dat Deduce kan geven heeft een eigen leesbare vorm.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bronnen.deidentificatie import LABEL, OVERIG, make_readable, readable_labels, scrub

GEGEVENS_VERWIJDERD = "[gegevens verwijderd]"


def _deduce_labels() -> set[str]:
    """De labels (zonder volgnummer) die de geïnstalleerde Deduce in een tekst kan zetten, uit zijn configuratie.

    Zoals Deduce ze nabewerkt (deduce/deduce.py, annotation_processor.py): elk label uit de groep `names` wordt
    PERSOON of PATIENT; in de groep `locations` valt het losse label `straat` weg en worden straat met huisnummer
    (`{tag}+huisnummer...`) LOCATIE; de andere labels blijven zoals ze zijn, in hoofdletters."""
    import deduce

    config = json.loads(Path(deduce.__file__).with_name("base_config.json").read_text(encoding="utf-8"))
    labels = {"PERSOON", "PATIENT"}
    for annotator in config["annotators"].values():
        if annotator.get("group") == "names":
            continue
        args = annotator["args"]
        tags = [args["tag"]] if "tag" in args else []
        tags += [p["tag"] for p in args.get("pattern", []) if isinstance(p, dict) and "tag" in p]
        assert tags, annotator
        for tag in tags:
            if annotator.get("group") == "locations" and (tag == "straat" or tag.startswith("{tag}")):
                continue  # weggehaald of LOCATIE geworden
            labels.add(tag.upper())
    return labels


def test_elk_label_van_deduce_heeft_een_eigen_leesbare_vorm():
    labels = _deduce_labels()
    assert {"PERSOON", "LOCATIE", "EMAILADRES", "TELEFOONNUMMER", "DATUM", "LEEFTIJD", "BSN", "URL"} <= labels
    vertaling = readable_labels()
    assert not labels - set(vertaling), "labels van Deduce zonder leesbare vorm in de seed"
    for label in labels:
        leesbaar = vertaling[label]
        assert leesbaar != vertaling[OVERIG] and leesbaar.endswith(" verwijderd]"), label
        assert not LABEL.fullmatch(leesbaar), label  # een leesbare vorm wordt zelf niet nog eens vertaald


def test_seed_heeft_een_vorm_voor_elk_ander_label():
    vertaling = readable_labels()
    assert vertaling[OVERIG] == GEGEVENS_VERWIJDERD
    assert len(set(vertaling)) == len(vertaling)


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        (
            "Bel [TELEFOONNUMMER-1] of mail [EMAILADRES-2].",
            "Bel [telefoonnummer verwijderd] of mail [e-mailadres verwijderd].",
        ),
        (
            "[PERSOON-1] en [PERSOON-2] en [PATIENT]",
            "[naam verwijderd] en [naam verwijderd] en [naam verwijderd]",
        ),
        ("Op [DATUM-1] werd ik [LEEFTIJD-1].", "Op [datum verwijderd] werd ik [leeftijd verwijderd]."),
        ("Ik woon op de [LOCATIE-1].", "Ik woon op de [adres of plaats verwijderd]."),
        # een label dat (nog) niet in de seed staat: nooit ruw in een verhaal
        (
            "Zie [NIEUWLABEL-3] en [STRAAT+HUISNUMMERLETTER-1].",
            "Zie [gegevens verwijderd] en [gegevens verwijderd].",
        ),
        # geen label: tekst van de inwoner tussen haken, of al leesbaar
        ("Het was [SIC] fijn [echt waar].", "Het was [SIC] fijn [echt waar]."),
        ("Mijn buurvrouw [naam verwijderd] helpt.", "Mijn buurvrouw [naam verwijderd] helpt."),
        ("", ""),
        (None, None),
    ],
)
def test_labels_worden_gewoon_nederlands(tekst, verwacht):
    assert make_readable(tekst) == verwacht
    assert make_readable(verwacht) == verwacht  # nog een keer vertalen verandert niets


def test_deduce_aan_de_deur_geeft_leesbare_aanduidingen():
    """Echte Deduce op een verhaal met van alles dat naar een persoon kan leiden."""
    teksten = [
        "Mijn buurvrouw Fatima El Amrani woont op de Dorpsstraat 12. Bel 06-12345678 of mail ans.jansen@example.nl.",
        "Ik ben 78 jaar en woon sinds 12 maart 2019 in Amersfoort. Ik lag in het Antonius Ziekenhuis.",
        "Mijn BSN is 111222333, mijn patientnummer 1234567. Zie www.buurtwerk.nl.",
        None,
    ]
    uit = scrub(teksten)
    assert uit[3] is None
    alles = "\n".join(uit[:3])
    for geheim in (
        "Fatima",
        "Amrani",
        "Dorpsstraat",
        "06-12345678",
        "example.nl",
        "111222333",
        "1234567",
        "2019",
    ):
        assert geheim not in alles, geheim
    for leesbaar in (
        "Mijn buurvrouw [naam verwijderd] woont op de [adres of plaats verwijderd].",
        "Bel [telefoonnummer verwijderd] of mail [e-mailadres verwijderd].",
        "Ik ben [leeftijd verwijderd] jaar",
        "sinds [datum verwijderd] in [adres of plaats verwijderd]",
        "[ziekenhuis verwijderd]",
        "[burgerservicenummer verwijderd]",
        "[nummer verwijderd]",
        "[webadres verwijderd]",
    ):
        assert leesbaar in alles, leesbaar
    assert GEGEVENS_VERWIJDERD not in alles  # elk label van Deduce hier heeft een eigen vorm
    assert not re.search(r"\[[A-Z][A-Z_+]*(-[0-9]+)?\]", alles)
