"""The demo shop's customers' world: countries with names, streets, cities and phone formats.

All names are combinations of common first and last names from small hand-made lists; the
people, addresses and numbers they form are fictional.
"""

from dataclasses import dataclass
from typing import Tuple


def _words(text: str) -> Tuple[str, ...]:
    """`"a|b c|d"` -> `("a", "b c", "d")`: compact lists of names that may contain spaces."""
    return tuple(text.split("|"))


def _cities(text: str) -> Tuple[Tuple[str, str], ...]:
    """`"Berlin=10|Köln=50"` -> `(("Berlin", "10"), ("Köln", "50"))`: city, postcode prefix."""
    return tuple(tuple(entry.split("=")) for entry in text.split("|"))


@dataclass(frozen=True)
class Country:
    """How people in one country are named, addressed and reached."""

    code: str
    weight: float  # share of the shop's customers
    currency: str
    calling_code: str
    trunk: str  # national trunk prefix ("" when none)
    first_names: Tuple[str, ...]
    last_names: Tuple[str, ...]
    streets: Tuple[str, ...]
    cities: Tuple[Tuple[str, str], ...]  # (city, postcode prefix)
    mobile_prefixes: Tuple[str, ...]  # start of the national significant number
    subscriber_digits: int
    groups: Tuple[int, ...]  # digit groups of the national notation (trunk included)


COUNTRIES: Tuple[Country, ...] = (
    Country(
        "DE",
        0.2,
        "EUR",
        "49",
        "0",
        first_names=_words(
            "Lena|Jonas|Sophie|Lukas|Anna|Felix|Marie|Paul|Leonie|Maximilian|Hannah|Jan"
            "|Katharina|Tobias|Julia|Moritz"
        ),
        last_names=_words(
            "Müller|Schmidt|Schneider|Fischer|Weber|Wagner|Becker|Hoffmann|Schäfer|Koch"
            "|Richter|Klein|Wolf|Neumann|Schwarz|Zimmermann"
        ),
        streets=_words(
            "Lindenstraße|Hauptstraße|Gartenweg|Bahnhofstraße|Schillerstraße|Am Mühlbach"
            "|Rosenweg|Goethestraße|Kirchplatz|Birkenallee"
        ),
        cities=_cities(
            "Berlin=10|Hamburg=20|München=80|Köln=50|Frankfurt am Main=60|Leipzig=04|Dresden=01"
        ),
        mobile_prefixes=_words("151|152|157|160|170|171|172|175|176|177|178|179"),
        subscriber_digits=7,
        groups=(4, 7),
    ),
    Country(
        "GB",
        0.14,
        "GBP",
        "44",
        "0",
        first_names=_words(
            "Oliver|Amelia|George|Isla|Harry|Ava|Jack|Mia|Charlie|Grace|Thomas|Freya|James"
            "|Emily|William|Poppy"
        ),
        last_names=_words(
            "Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Robinson|Wright|Thompson"
            "|Evans|Walker|White|Roberts|O'Brien"
        ),
        streets=_words(
            "Station Road|High Street|Church Lane|Victoria Road|Park Avenue|Mill Lane"
            "|Queens Road|Manor Close|Kings Way|Orchard Drive"
        ),
        cities=_cities("London=N|Leeds=LS|Manchester=M|Bristol=BS|Glasgow=G|Cardiff=CF|Norwich=NR"),
        mobile_prefixes=_words("7400|7500|7700|7800|7900|7440|7520"),
        subscriber_digits=6,
        groups=(5, 6),
    ),
    Country(
        "FR",
        0.12,
        "EUR",
        "33",
        "0",
        first_names=_words(
            "Camille|Louis|Léa|Hugo|Chloé|Gabriel|Manon|Jules|Inès|Arthur|Sarah|Lucas|Emma"
            "|Théo|Juliette|Nathan"
        ),
        last_names=_words(
            "Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon"
            "|Laurent|Lefèvre|Michel|Garnier|Fontaine"
        ),
        streets=_words(
            "rue des Lilas|avenue Victor Hugo|rue de la Paix|boulevard Voltaire|rue du Moulin"
            "|place de l'Église|rue Pasteur|allée des Tilleuls"
        ),
        cities=_cities(
            "Paris=750|Lyon=690|Marseille=130|Toulouse=310|Nantes=440|Lille=590|Bordeaux=330"
        ),
        mobile_prefixes=_words("6|7"),
        subscriber_digits=8,
        groups=(2, 2, 2, 2, 2),
    ),
    Country(
        "US",
        0.1,
        "USD",
        "1",
        "1",
        first_names=_words(
            "Liam|Olivia|Noah|Emma|Ethan|Ava|Mason|Sophia|Logan|Isabella|Lucas|Mia|Jacob"
            "|Harper|Aiden|Evelyn"
        ),
        last_names=_words(
            "Johnson|Miller|Davis|Garcia|Rodriguez|Martinez|Anderson|Taylor|Thomas|Moore"
            "|Jackson|Martin|Lee|Thompson|White|McDonald"
        ),
        streets=_words(
            "Maple Ave|Oak Street|Washington Blvd|Lakeview Dr|Elm Street|Sunset Blvd"
            "|Cedar Lane|Main Street|Pine Road|Hillcrest Ave"
        ),
        cities=_cities(
            "Springfield, IL=627|Portland, OR=972|Austin, TX=787|Columbus, OH=432"
            "|Denver, CO=802|Raleigh, NC=276|Madison, WI=537"
        ),
        mobile_prefixes=_words("206|312|415|512|617|720|919|503"),
        subscriber_digits=7,
        groups=(3, 3, 4),
    ),
    Country(
        "NL",
        0.08,
        "EUR",
        "31",
        "0",
        first_names=_words(
            "Daan|Emma|Sem|Julia|Lucas|Sophie|Levi|Tess|Finn|Anna|Bram|Fenna|Thijs|Sanne"
            "|Ruben|Lotte"
        ),
        last_names=_words(
            "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Visser|Smit|Meijer|de Boer"
            "|Mulder|de Groot|Bos|Vos|Peters|Hendriks"
        ),
        streets=_words(
            "Kerkstraat|Dorpsstraat|Molenweg|Stationsplein|Prinsengracht|Lindenlaan"
            "|Schoolstraat|Beukenlaan"
        ),
        cities=_cities(
            "Amsterdam=10|Rotterdam=30|Utrecht=35|Den Haag=25|Eindhoven=56|Groningen=97"
        ),
        mobile_prefixes=_words("6"),
        subscriber_digits=8,
        groups=(2, 8),
    ),
    Country(
        "ES",
        0.08,
        "EUR",
        "34",
        "",
        first_names=_words(
            "Lucía|Hugo|Martina|Pablo|Sofía|Alejandro|María|Daniel|Paula|Álvaro|Carmen|Javier"
            "|Elena|Diego|Laura|Sergio"
        ),
        last_names=_words(
            "García|Fernández|González|Rodríguez|López|Martínez|Sánchez|Pérez|Gómez|Martín"
            "|Jiménez|Ruiz|Hernández|Díaz|Moreno|Álvarez"
        ),
        streets=_words(
            "Calle Mayor|Avenida de la Constitución|Calle del Sol|Plaza de España|Calle Real"
            "|Paseo de Gracia|Calle San Juan|Avenida del Mar"
        ),
        cities=_cities("Madrid=280|Barcelona=080|Valencia=460|Sevilla=410|Bilbao=480|Málaga=290"),
        mobile_prefixes=_words("6|7"),
        subscriber_digits=8,
        groups=(3, 3, 3),
    ),
    Country(
        "IT",
        0.08,
        "EUR",
        "39",
        "",
        first_names=_words(
            "Giulia|Leonardo|Sofia|Francesco|Aurora|Alessandro|Ginevra|Lorenzo|Beatrice"
            "|Mattia|Chiara|Matteo|Martina|Andrea|Elena|Riccardo"
        ),
        last_names=_words(
            "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno"
            "|Gallo|Conti|De Luca|Costa|Giordano"
        ),
        streets=_words(
            "Via Roma|Via Garibaldi|Corso Italia|Via Mazzini|Piazza del Duomo|Via Verdi"
            "|Viale dei Mille|Via Dante"
        ),
        cities=_cities("Milano=201|Roma=001|Torino=101|Bologna=401|Firenze=501|Napoli=801"),
        mobile_prefixes=_words("320|328|333|338|340|347|349|366"),
        subscriber_digits=7,
        groups=(3, 7),
    ),
    Country(
        "PL",
        0.07,
        "PLN",
        "48",
        "",
        first_names=_words(
            "Zuzanna|Antoni|Julia|Jan|Zofia|Aleksander|Maja|Franciszek|Hanna|Jakub|Lena"
            "|Szymon|Alicja|Filip|Natalia|Mikołaj"
        ),
        last_names=_words(
            "Nowak|Wójcik|Kowalczyk|Woźniak|Mazur|Krawczyk|Kaczmarek|Zając|Król|Wieczorek"
            "|Wróbel|Dudek|Stępień|Adamczyk|Sikora|Walczak"
        ),
        streets=_words(
            "ul. Długa|ul. Polna|ul. Leśna|ul. Słoneczna|ul. Kwiatowa|ul. Ogrodowa|ul. Lipowa"
            "|ul. Szkolna"
        ),
        cities=_cities("Warszawa=00|Kraków=30|Wrocław=50|Gdańsk=80|Poznań=60|Łódź=90"),
        mobile_prefixes=_words("5|6|7|8"),
        subscriber_digits=8,
        groups=(3, 3, 3),
    ),
    Country(
        "SE",
        0.07,
        "SEK",
        "46",
        "0",
        first_names=_words(
            "Alice|William|Maja|Oscar|Elsa|Lucas|Astrid|Hugo|Wilma|Liam|Ebba|Elias|Saga|Axel"
            "|Freja|Nils"
        ),
        last_names=_words(
            "Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson|Svensson"
            "|Gustafsson|Pettersson|Jonsson|Lindberg|Lindqvist|Berg|Holm"
        ),
        streets=_words(
            "Storgatan|Kungsgatan|Drottninggatan|Skolgatan|Södra vägen|Björkvägen|Ringvägen"
            "|Järnvägsgatan"
        ),
        cities=_cities("Stockholm=11|Göteborg=41|Malmö=21|Uppsala=75|Västerås=72|Örebro=70"),
        mobile_prefixes=_words("70|72|73|76"),
        subscriber_digits=7,
        groups=(3, 3, 2, 2),
    ),
    Country(
        "CH",
        0.06,
        "CHF",
        "41",
        "0",
        first_names=_words(
            "Noah|Mia|Luca|Emma|Leon|Lina|Elias|Sofia|Matteo|Laura|Nico|Anna|Levin|Elena"
            "|Jonas|Lea"
        ),
        last_names=_words(
            "Müller|Meier|Schmid|Keller|Weber|Huber|Meyer|Schneider|Steiner|Fischer|Gerber"
            "|Brunner|Baumann|Frei|Zimmermann|Moser"
        ),
        streets=_words(
            "Bahnhofstrasse|Dorfstrasse|Seestrasse|Kirchgasse|Rosenweg|Schulstrasse"
            "|Bergstrasse|Gartenstrasse"
        ),
        cities=_cities("Zürich=80|Bern=30|Basel=40|Luzern=60|St. Gallen=90|Winterthur=84"),
        mobile_prefixes=_words("75|76|77|78|79"),
        subscriber_digits=7,
        groups=(3, 3, 2, 2),
    ),
)

EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
