#!/usr/bin/python3
"""Brings Tryton's database to finsync's legal entities and currencies, idempotently: on a database that
init_company.py just created as on one initialised long ago (what is there is left alone; nothing is deleted).

  - every currency of canonical-schema/reference/reference.json, under the Tryton id its ERP_CURRENCY translation
    gives it (the CDC mapping translates Tryton's currency ids with that table), and the rates of
    erp/tryton/reference/currencyRates.json (a changed rate is updated);
  - one company per legal entity, in the entity's base currency, under the id its ERP_COMPANY translation gives it
    (FS-EU is the company init_company.py made, 1); its party carries the entity's id as code (the CDC mapping
    leaves those parties out: they are our own companies, not vendors) and, when created here, the entity's name;
  - for each company the minimal chart, and fiscal years last / this / next year with monthly periods, a move
    sequence and invoice sequences, as init_company.py gives the first one;
  - the admin user (finsync's user in Tryton) may work in every company and sees the records of all of them (its
    current company stays the first).

Run with Debian's /usr/bin/python3 by stack/tryton/up.sh; reads DB_NAME, TRYTOND_CONFIG and FINSYNC_REPO. Prints one
line per thing it created or changed. `--check` only looks (plain SQL, no Tryton): exit 0 when there is nothing to
do, 1 otherwise."""
import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal

import psycopg2

REPO = os.environ['FINSYNC_REPO']
db, conf = os.environ['DB_NAME'], os.environ['TRYTOND_CONFIG']


def load(path):
    with open(os.path.join(REPO, path)) as f:
        return json.load(f)


reference = load('canonical-schema/reference/reference.json')
rates = load('erp/tryton/reference/currencyRates.json')
this_year = datetime.date.today().year


def up_to_date():
    """A quick look with plain SQL (loading Tryton takes seconds): every company with its coded party, fiscal years
    and the admin's access, every currency, every rate with its value."""
    entities = [e['id'] for e in reference['legalEntities']]
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cursor:
        cursor.execute("""
            select count(*) from company_company c join party_party p on p.id = c.party
             where p.code = any(%s)
               and exists (select 1 from "res_user-company_company" u join res_user a on a.id = u."user"
                            where u.company = c.id and a.login = 'admin' and a.company_filter = 'all')
               and (select count(*) from account_fiscalyear f where f.company = c.id
                     and extract(year from f.start_date) between %s and %s) = 3""",
            (entities, this_year - 1, this_year + 1))
        companies = cursor.fetchone()[0]
        cursor.execute("""
            select count(*) from currency_currency_rate r join currency_currency c on c.id = r.currency
              join unnest(%s::text[], %s::date[], %s::numeric[]) as w(code, date, rate)
                on w.code = c.code and w.date = r.date and w.rate = r.rate""",
            ([r['currency'] for r in rates['rates']], [r['date'] for r in rates['rates']],
                [r['rate'] for r in rates['rates']]))
        matching_rates = cursor.fetchone()[0]
    return companies == len(entities) and matching_rates == len(rates['rates'])


if sys.argv[1:] == ['--check']:
    sys.exit(0 if up_to_date() else 1)
if sys.argv[1:2] != ['--books-of'] and up_to_date():
    sys.exit(0)

from proteus import Model, config  # noqa: E402 (Tryton loads only when there is work)
from trytond.modules.account.tests.tools import create_chart, create_fiscalyear  # noqa: E402
from trytond.modules.account_invoice.tests.tools import (  # noqa: E402
    set_fiscalyear_invoice_sequences)

config.set_trytond(f'postgresql:///{db}', config_file=conf)


def books_of(entity_id, company_id):
    """The chart and fiscal years of one company, run as the admin working in it (see below)."""
    Account = Model.get('account.account')
    FiscalYear = Model.get('account.fiscalyear')
    company = Model.get('company.company')(company_id)
    if not Account.find([('company', '=', company.id), ('parent', '=', None)]):
        create_chart(company)
        print(f'chart of accounts of {entity_id} created')
    for year in (this_year - 1, this_year, this_year + 1):
        start = datetime.date(year, 1, 1)
        if FiscalYear.find([('company', '=', company.id), ('start_date', '=', start)]):
            continue
        fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(company, today=start))
        fiscalyear.click('create_period')
        print(f'fiscal year {year} of {entity_id}: {len(fiscalyear.periods)} periods')


if sys.argv[1:2] == ['--books-of']:
    current = Model.get('res.user').get_preferences(True, {})
    if current.get('company') != int(sys.argv[3]):
        fail(f'the admin works in company {current.get("company")}, not {sys.argv[3]}')
    config.get_config()._context = current
    books_of(sys.argv[2], int(sys.argv[3]))
    sys.exit(0)


def translations(domain):
    """Tryton id -> finsync code, for one domain of the reference's code translations."""
    return {int(t['sourceCode']): t['targetCode'] for t in reference['codeTranslations']
        if t['domain'] == domain and t['sourceSystem'] == 'erp'}


def fail(message):
    raise SystemExit(f'ensure_companies: {message}')


Currency = Model.get('currency.currency')
Rate = Model.get('currency.currency.rate')
Company = Model.get('company.company')
Party = Model.get('party.party')
User = Model.get('res.user')

# Currencies, each under the id the mapping expects: created in id order, so on a database that has only the
# first ones the next id is the expected one; anything else is a database finsync cannot translate.
currency_names = {c['code']: c['name'] for c in reference['currencies']}
currency_ids = translations('ERP_CURRENCY')
for tryton_id, code in sorted(currency_ids.items()):
    found = Currency.find([('code', '=', code)])
    if found:
        if found[0].id != tryton_id:
            fail(f'currency {code} has id {found[0].id} in Tryton, but reference.json translates '
                f'ERP_CURRENCY {tryton_id} to it')
        continue
    currency = Currency(name=currency_names[code], symbol=code, code=code, rounding=Decimal('0.01'))
    currency.save()
    if currency.id != tryton_id:
        fail(f'currency {code} was created with id {currency.id}, but reference.json translates '
            f'ERP_CURRENCY {tryton_id} to it; fix the translation table')
    print(f'currency {code} created (id {currency.id})')

by_code = {c.code: c for c in Currency.find([])}
for r in rates['rates']:
    currency = by_code.get(r['currency'])
    if currency is None:
        fail(f'currencyRates.json has a rate for {r["currency"]}, which reference.json does not list')
    date = datetime.date.fromisoformat(r['date'])
    value = Decimal(r['rate'])
    existing = Rate.find([('currency', '=', currency.id), ('date', '=', date)])
    if existing:
        if existing[0].rate != value:
            existing[0].rate = value
            existing[0].save()
            print(f'rate {r["currency"]} {r["date"]} changed to {value}')
        continue
    Rate(currency=currency, date=date, rate=value).save()
    print(f'rate {r["currency"]} {r["date"]} = {value}')

# Companies, one per legal entity, under the ids the mapping expects.
company_ids = {code: tryton_id for tryton_id, code in translations('ERP_COMPANY').items()}
admin, = User.find([('login', '=', 'admin')])
for entity in reference['legalEntities']:
    tryton_id = company_ids.get(entity['id'])
    if tryton_id is None:
        fail(f'reference.json has no ERP_COMPANY translation for legal entity {entity["id"]}')
    company = Company.find([('id', '=', tryton_id)])
    if company:
        company = company[0]
        if company.currency.code != entity['baseCurrency']:
            fail(f'Tryton company {tryton_id} keeps its books in {company.currency.code}, but '
                f'{entity["id"]} has base currency {entity["baseCurrency"]}')
    else:
        if len(Company.find([])) != tryton_id - 1:
            fail(f'legal entity {entity["id"]} should be Tryton company {tryton_id}, but the next company '
                'Tryton creates will have another id; fix the ERP_COMPANY translation')
        party = Party(name=entity['name'], code=entity['id'])
        party.save()
        company = Company(party=party, currency=by_code[entity['baseCurrency']])
        company.save()
        if company.id != tryton_id:
            fail(f'company {entity["id"]} was created with id {company.id}, not {tryton_id}')
        print(f'company {entity["id"]} created (id {company.id}, {entity["baseCurrency"]})')
    if company.party.code != entity['id']:
        party = company.party
        party.code = entity['id']
        party.save()
        print(f'party of company {entity["id"]} coded {entity["id"]}')
    if company.id not in [c.id for c in admin.companies]:
        admin.companies.append(Company(company.id))
        admin.save()
        print(f'admin may work in {entity["id"]}')

# Tryton 6.0's record rules show a user the records of the company stored as the user's current one (a company in a
# request's context changes defaults, not what the rules let through), unless the user's filter is "all": then the
# records of all the user's companies, and every finsync read names its company explicitly.
if admin.company_filter != 'all':
    User._proxy.write([admin.id], {'company_filter': 'all'}, config.get_config().context)
    print('admin sees the records of all its companies')

# A company's chart and fiscal years are made as the admin working in that company, in a process of its own:
# Tryton's record rules show a user the records of the user's current company, and they are cached per process.
# The admin's current company is the first one again afterwards.
# (Written directly: res.user reads back the company of the context, so proteus would see no change to save.)
def work_in(company_id):
    User._proxy.write([admin.id], {'company': company_id}, config.get_config().context)


with psycopg2.connect(dbname=db) as connection, connection.cursor() as cursor:
    cursor.execute('select company from res_user where id = %s', (admin.id,))
    home = cursor.fetchone()[0]
try:
    for entity in reference['legalEntities']:
        work_in(company_ids[entity['id']])
        subprocess.run([sys.executable, __file__, '--books-of', entity['id'], str(company_ids[entity['id']])],
            check=True)
finally:
    work_in(home)
