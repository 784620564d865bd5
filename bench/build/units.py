import re,glob,json,sys
from collections import Counter
# Compilation units of each cargo build --timings report given (a folder with target/).
for d in sys.argv[1:]:
    f=sorted(glob.glob(d+'/target/cargo-timings/cargo-timing-*.html'))[-1]
    t=open(f).read()
    units=json.loads(re.search(r'const UNIT_DATA = (\[.*?\]);',t,re.S).group(1))
    libs=[u for u in units if u.get('target','')=='' ]
    c=Counter(u['name'] for u in libs)
    twice=sorted(k for k,v in c.items() if v>1)
    heavy=[k for k in ['sqlx-core','sqlx-postgres','sqlx-sqlite','tokio','libsqlite3-sys','rustls','ring','clap_builder','minijinja','retort-migrate','retort-core','retort-dialect'] ]
    print(d.split('/')[-1], len(units),'units', 'sum %.0fs'%sum(u['duration'] for u in units))
    print('   built twice:', ', '.join(twice) or '-')
    print('   counts:', ', '.join(f'{k}={c.get(k,0)}' for k in heavy))
