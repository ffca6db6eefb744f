#!/usr/bin/python3
"""Sets up the demo company of a freshly created Tryton database, through proteus and
Tryton's own scenario test tools: company "Finsync Demo Ltd" in EUR, the minimal English
chart of accounts, and fiscal years last/this/next year with monthly periods and invoice
sequences. Run with Debian's /usr/bin/python3; reads DB_NAME and TRYTOND_CONFIG."""
import datetime
import os
from decimal import Decimal

from proteus import Model, config
from trytond.modules.account.tests.tools import create_chart, create_fiscalyear
from trytond.modules.account_invoice.tests.tools import (
    set_fiscalyear_invoice_sequences)
from trytond.modules.company.tests.tools import create_company, get_company

COMPANY_NAME = os.environ.get('TRYTON_COMPANY_NAME', 'Finsync Demo Ltd')

db, conf = os.environ['DB_NAME'], os.environ['TRYTOND_CONFIG']
# A full URI (not just the name): proteus otherwise writes the bare name into
# TRYTOND_DATABASE_URI. The socket/trust part comes from the config file anyway.
config.set_trytond(f'postgresql:///{db}', config_file=conf)

# currency.tests.tools.get_currency would give EUR a rate of 2.0; a single-currency
# company wants 1.0.
Currency, Rate = Model.get('currency.currency'), Model.get('currency.currency.rate')
eur = Currency(name='Euro', symbol='€', code='EUR', rounding=Decimal('0.01'))
eur.save()
Rate(currency=eur, date=datetime.date(2000, 1, 1), rate=Decimal('1')).save()

party = Model.get('party.party')(name=COMPANY_NAME)
party.save()
create_company(party, eur)  # also makes it the admin user's company
company = get_company()

create_chart(company)  # account.account_template_root_en: the "minimal chart"

this_year = datetime.date.today().year
for year in (this_year - 1, this_year, this_year + 1):
    fiscalyear = set_fiscalyear_invoice_sequences(
        create_fiscalyear(company, today=datetime.date(year, 1, 1)))
    fiscalyear.click('create_period')  # saves, then one period per month
    print(f'fiscal year {fiscalyear.name}: {len(fiscalyear.periods)} periods')
