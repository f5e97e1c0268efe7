#!/usr/bin/env bash
# Makes the TLS material of the clustered event bus (BAEDAL_CLUSTER_TLS=true): a private CA that
# signs one member certificate, which every Baedal pod presents and checks the others' against.
# Needs the JDK's keytool. Writes into DIR (default ./cluster-tls):
#   ca.p12                     the CA's key: keep it offline (it signs new member certificates)
#   cluster-keystore.p12       the member key and certificate (BAEDAL_CLUSTER_TLS_KEYSTORE_*)
#   cluster-truststore.p12     the CA certificate alone (BAEDAL_CLUSTER_TLS_TRUSTSTORE_*)
#   secret.env                 the store passwords and the cluster secret, as BAEDAL_* lines
#   ca.password                the CA's password: keep it with ca.p12
# and prints the kubectl command that makes the Secret baedal-cluster-tls from them.
# Usage: deploy/cluster-tls.sh [DIR] [DAYS]   (DAYS: validity, default 365)
set -euo pipefail
dir="${1:-cluster-tls}"
days="${2:-365}"
mkdir -p "$dir"
umask 077
rand() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
ca_pw="$(rand)"
store_pw="$(rand)"
trust_pw="$(rand)"
secret="$(rand)$(rand)"
kt() { keytool -noprompt "$@" >/dev/null 2>&1 || { keytool -noprompt "$@"; exit 1; }; }

rm -f "$dir"/ca.p12 "$dir"/cluster-keystore.p12 "$dir"/cluster-truststore.p12 "$dir"/*.pem "$dir"/*.csr
kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=baedal-cluster-ca" \
  -ext bc:c -ext ku:c=keyCertSign,cRLSign -validity "$days" \
  -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$ca_pw"
kt -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$ca_pw" -file "$dir/ca.pem"
kt -importcert -alias baedal-cluster-ca -file "$dir/ca.pem" \
  -keystore "$dir/cluster-truststore.p12" -storetype PKCS12 -storepass "$trust_pw"
kt -genkeypair -alias member -keyalg EC -groupname secp256r1 -dname "CN=baedal-cluster-member" \
  -validity "$days" -keystore "$dir/cluster-keystore.p12" -storetype PKCS12 -storepass "$store_pw"
kt -certreq -alias member -keystore "$dir/cluster-keystore.p12" -storepass "$store_pw" \
  -file "$dir/member.csr"
kt -gencert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$ca_pw" -validity "$days" \
  -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth \
  -infile "$dir/member.csr" -outfile "$dir/member.pem"
# the chain: the CA first (trusted for the import), then the signed member certificate
kt -importcert -alias baedal-cluster-ca -file "$dir/ca.pem" \
  -keystore "$dir/cluster-keystore.p12" -storepass "$store_pw"
kt -importcert -alias member -file "$dir/member.pem" \
  -keystore "$dir/cluster-keystore.p12" -storepass "$store_pw"
rm -f "$dir/member.csr" "$dir/member.pem"

printf 'BAEDAL_CLUSTER_TLS_KEYSTORE_PASSWORD=%s\nBAEDAL_CLUSTER_TLS_TRUSTSTORE_PASSWORD=%s\nBAEDAL_CLUSTER_SECRET=%s\n' \
  "$store_pw" "$trust_pw" "$secret" > "$dir/secret.env"
printf '%s\n' "$ca_pw" > "$dir/ca.password"
echo "wrote $dir/cluster-keystore.p12, $dir/cluster-truststore.p12, $dir/secret.env;"
echo "keep $dir/ca.p12 and $dir/ca.password offline. The Secret of deploy/k8s (do not commit it):"
echo "  { kubectl create secret generic baedal-cluster-tls --namespace baedal \\"
echo "      --from-file=cluster-keystore.p12=$dir/cluster-keystore.p12 \\"
echo "      --from-file=cluster-truststore.p12=$dir/cluster-truststore.p12 --dry-run=client -o yaml"
echo "    echo ---"
echo "    kubectl create secret generic baedal-cluster-secrets --namespace baedal \\"
echo "      --from-env-file=$dir/secret.env --dry-run=client -o yaml; } > deploy/k8s/cluster-tls-secret.yaml"
