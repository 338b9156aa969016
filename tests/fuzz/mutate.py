#!/usr/bin/env python3
"""Mutation smoke test: random byte changes and truncations of valid signed
and encrypted messages (S/MIME, DER, streamed BER) fed to xe2e verify and
decrypt.  Every run must end with a documented exit status, and a failure
must leave stdout empty.  Inputs that break this are saved in WORK.

usage: mutate.py XE2E PKI_DIR WORK [SEED] [RUNS_PER_SEED]
Exit 1 if any run misbehaves.  `make fuzz` runs it long; tests/cli/t0900
runs it briefly.  Build with -fsanitize=address,undefined to catch more.
"""
import random, subprocess, sys, os
X = sys.argv[1]; P = sys.argv[2]; work = sys.argv[3]  # binary, test PKI, where failing inputs go
random.seed(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
os.makedirs(work, exist_ok=True)
def run(args, data):
    r = subprocess.run([X] + args, input=data, capture_output=True, timeout=30)
    return r
msg = b"Content-Type: text/plain\r\n\r\nhello mutation\r\n"
seeds = {}
seeds['smime-signed'] = run(['sign','--cert',f'{P}/signer.pem','--key',f'{P}/signer.key','--chain',f'{P}/chain.pem'], msg).stdout
seeds['der-opaque'] = run(['sign','--cert',f'{P}/signer.pem','--key',f'{P}/signer.key','--opaque','--outform','der'], msg).stdout
seeds['enc-der'] = run(['encrypt','--recip',f'{P}/direct.pem','--outform','der','--no-stream'], msg).stdout
seeds['enc-ber'] = run(['encrypt','--recip',f'{P}/direct.pem','--outform','der','--stream'], msg).stdout
seeds['enc-smime'] = run(['encrypt','--recip',f'{P}/direct.pem'], msg).stdout
bad = 0; n = 0
allowed = {0,2,4,5,6,8,9}
for name, seed in seeds.items():
    assert seed, name
    cmd = ['verify','--ca',f'{P}/ca.pem'] if not name.startswith('enc') else ['decrypt','--key',f'{P}/direct.key']
    for i in range(int(sys.argv[5]) if len(sys.argv) > 5 else 150):
        d = bytearray(seed)
        k = random.random()
        if k < 0.3:
            d = d[:random.randrange(len(d))]
        else:
            for _ in range(random.randint(1, 8)):
                p = random.randrange(len(d)); d[p] = random.randrange(256)
        r = run(cmd, bytes(d)); n += 1
        err = r.stderr.decode(errors='replace')
        if r.returncode not in allowed or 'Sanitizer' in err or 'runtime error' in err or (r.returncode != 0 and r.stdout):
            bad += 1
            open(f'{work}/bad-{name}-{i}.bin','wb').write(bytes(d))
            print(name, i, r.returncode, err[:300].replace('\n',' | '))
print(f"{n} runs, {bad} problems")
sys.exit(1 if bad else 0)
