"""The demo shop's product catalogue and its prices in every currency it sells in.

Prices are kept in cents (integers) so totals add up exactly; they are written as decimals.
"""

from dataclasses import dataclass
from typing import Dict, Tuple

# Euro per unit of each currency, for pricing only (the shop sets round local prices).
EXCHANGE_RATES = {
    "EUR": 1.0,
    "GBP": 0.86,
    "USD": 1.08,
    "CHF": 0.95,
    "SEK": 11.4,
    "PLN": 4.3,
    "NOK": 11.6,
    "DKK": 7.46,
}
# Currencies priced in whole units ending in 9 (249.00 kr) rather than .99.
WHOLE_UNIT_CURRENCIES = frozenset({"SEK", "PLN", "NOK", "DKK"})


@dataclass(frozen=True)
class Product:
    """A product: stock keeping unit, name, price in euro cents and how often it sells."""

    sku: str
    name: str
    euro_cents: int
    popularity: int


PRODUCTS: Tuple[Product, ...] = tuple(
    Product(f"BC-{1001 + index}", name, cents, popularity)
    for index, (name, cents, popularity) in enumerate(
        (
            ("Stainless Steel Kettle 1.7 l", 3999, 6),
            ("Bamboo Cutting Board Set", 2499, 7),
            ("Cast Iron Skillet 28 cm", 4499, 4),
            ("Glass Food Storage Containers (10)", 2999, 6),
            ("Electric Milk Frother", 1999, 5),
            ("Chef's Knife 20 cm", 5999, 3),
            ("French Press 1 l", 2799, 5),
            ("Silicone Baking Mats (2)", 1499, 6),
            ("Wireless Earbuds Pro", 8999, 8),
            ("USB-C Charger 65 W", 3499, 9),
            ("Bluetooth Speaker Mini", 4999, 6),
            ("Smart LED Bulb (4-pack)", 3999, 5),
            ("Noise-Cancelling Headphones", 17999, 3),
            ("Portable Power Bank 20000 mAh", 3999, 7),
            ("Mechanical Keyboard", 9999, 3),
            ("Ergonomic Wireless Mouse", 3999, 5),
            ("Merino Wool Socks (3 pairs)", 2499, 8),
            ("Organic Cotton T-Shirt", 1999, 9),
            ("Waterproof Rain Jacket", 11999, 3),
            ("Linen Shirt", 4999, 4),
            ("Everyday Backpack 22 l", 6999, 5),
            ("Leather Wallet", 3999, 4),
            ("Running Shoes Trail", 12999, 3),
            ("Knitted Beanie", 1999, 6),
            ("Scented Candle Cedar", 1899, 7),
            ("Throw Blanket Wool", 7999, 3),
            ("Ceramic Plant Pot Large", 3499, 4),
            ("Linen Bedding Set Double", 12999, 2),
            ("Cotton Bath Towels (2)", 3499, 5),
            ("Desk Lamp with Dimmer", 5499, 4),
            ("Wall Clock Oak", 4499, 2),
            ("Aroma Diffuser", 3999, 4),
            ("Camping Hammock", 4999, 2),
            ("Insulated Water Bottle 750 ml", 2999, 9),
            ("Yoga Mat Natural Rubber", 6999, 3),
            ("Trekking Poles (pair)", 5999, 2),
            ("Picnic Cooler Bag", 3499, 3),
            ("Bicycle Light Set", 2999, 4),
            ("Herb Garden Starter Kit", 2499, 3),
            ("Gift Card", 5000, 2),
        )
    )
)
CUMULATIVE_POPULARITY = tuple(
    sum(product.popularity for product in PRODUCTS[: index + 1]) for index in range(len(PRODUCTS))
)


def local_cents(euro_cents: int, currency: str) -> int:
    """A shelf price in `currency` cents: .99 endings, or whole units ending in 9."""
    converted = euro_cents * EXCHANGE_RATES[currency]
    if currency in WHOLE_UNIT_CURRENCIES:
        return max(900, int(round(converted / 1000.0)) * 1000 - 100)
    if euro_cents % 100 == 0:  # gift cards keep their round face value
        return int(round(converted / 1000.0)) * 1000 or 1000
    return max(99, int(round(converted / 100.0)) * 100 - 1)


PRICES: Dict[str, Tuple[int, ...]] = {
    currency: tuple(local_cents(product.euro_cents, currency) for product in PRODUCTS)
    for currency in EXCHANGE_RATES
}


def money(cents: int) -> str:
    """Cents as a decimal string (`1234` -> `12.34`)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"
