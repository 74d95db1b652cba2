"""The 1C:Enterprise HTTP exchange ("Обмен с сайтом", CommerceML over HTTP).

Modules: ``views`` (the endpoint, dispatch on ``type``/``mode``), ``catalog`` (the catalogue
modes), ``auth`` (Basic credentials, session cookie, throttling), ``files`` (safe names, chunked
uploads), ``archive`` (safe unzip), ``folders`` (one folder per exchange run), ``state`` (the
session's JSON state) and ``responses`` (plain-text answers). Mount it with
``path("", include("b2b_cabinet.sync.exchange.urls"))``.

This package does not import its views on import, so tasks can use ``folders`` and ``archive``
without pulling in the HTTP layer.
"""
