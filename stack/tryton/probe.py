#!/usr/bin/python3
"""Talks to trytond over JSON-RPC the way a client does.

  probe.py login    exit 0 when common.db.login returns a session (readiness),
                    2 when the server refuses the password (retrying would only make
                    Tryton's login rate limiter lock admin out), 1 otherwise
  probe.py summary  log in, check every company and its 12 periods of this year, print one line

Reads TRYTON_URL (http://127.0.0.1:8000/<db>/) and TRYTON_ADMIN_PASSWORD. Stdlib only."""
import base64
import datetime
import json
import os
import sys
import urllib.error
import urllib.request

URL = os.environ['TRYTON_URL']
PASSWORD = os.environ['TRYTON_ADMIN_PASSWORD']


def rpc(method, params, auth=None):
    body = json.dumps({'id': 1, 'method': method, 'params': params}).encode()
    headers = {'Content-Type': 'application/json'}
    if auth:
        headers['Authorization'] = auth
    request = urllib.request.Request(URL, body, headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        reply = json.load(response)
    if reply.get('error'):
        raise SystemExit(f'tryton: {method} failed: {reply["error"]}')
    return reply['result']


def login():
    # Tryton 6.0: params = [login, {"password": ...}, language]; result = [user id, session]
    user_id, session = rpc('common.db.login', ['admin', {'password': PASSWORD}, 'en'])
    token = base64.b64encode(f'admin:{user_id}:{session}'.encode()).decode()
    return f'Session {token}'


def summary():
    auth = login()
    # Model calls take the method's arguments, then the context as last parameter.
    companies = rpc('model.company.company.search_read',
        [[], 0, None, [('id', 'ASC')], ['rec_name', 'party.code', 'currency.code'], {}], auth)
    if not companies:
        raise SystemExit('tryton: no company')
    year = str(datetime.date.today().year)
    described = []
    for company in companies:
        # Record rules show the records of the company in the context.
        context = {'company': company['id']}
        periods = rpc('model.account.period.search_count', [[('fiscalyear.name', '=', year),
            ('type', '=', 'standard'), ('company', '=', company['id'])], context], auth)
        if periods != 12:
            raise SystemExit(f'tryton: company {company["rec_name"]}: fiscal year {year} has {periods} periods, not 12')
        accounts = rpc('model.account.account.search_count', [[('company', '=', company['id'])], context], auth)
        # dotted fields come back nested under 'party.' and 'currency.'
        described.append(f'{(company["party."] or {}).get("code") or company["id"]} "{company["rec_name"]}" '
            f'({company["currency."]["code"]}, {accounts} accounts)')
    print(f'companies {", ".join(described)}; fiscal year {year}, 12 periods each')


if __name__ == '__main__':
    if sys.argv[1:] == ['login']:
        try:
            login()
        except urllib.error.HTTPError as error:
            if error.code in (401, 403, 429):
                sys.exit(2)
            raise
    elif sys.argv[1:] == ['summary']:
        summary()
    else:
        raise SystemExit(__doc__)
