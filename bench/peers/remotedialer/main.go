// A reverse tunnel on github.com/rancher/remotedialer, the way Rancher reaches its downstream clusters,
// so that bench/tunnel and bench/proxy can measure Tether's tunnel beside a well-known Go one in the same
// run. Two roles in one binary:
//
//	server: -listen 127.0.0.1:P -apiserver https://127.0.0.1:6443 -ca ca.crt -token-file admin.token
//	        /connect takes the client's WebSocket; every other path is proxied to the API server, dialled
//	        through the client's tunnel (TLS to the API server runs end to end through it).
//	client: -connect ws://127.0.0.1:P/connect
//	        dials the server and lets it open TCP connections to the API server's address only.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rancher/remotedialer"
	"github.com/sirupsen/logrus"
)

const clientKey = "bench"

func main() {
	role := flag.String("role", "", "server or client")
	listen := flag.String("listen", "127.0.0.1:0", "server: listen address")
	apiserver := flag.String("apiserver", "", "the API server's URL (server: proxied to; client: the only address it may dial)")
	caFile := flag.String("ca", "", "server: the API server's CA")
	tokenFile := flag.String("token-file", "", "server: the bearer token it sends to the API server")
	tlsCertOut := flag.String("tls-cert-out", "", "server: serve HTTPS with a fresh self-signed certificate for 127.0.0.1, written here (PEM)")
	connect := flag.String("connect", "", "client: the server's ws:// or wss:// URL")
	serverCA := flag.String("server-ca", "", "client: with wss://, the server's certificate (PEM) to trust")
	flag.Parse()
	logrus.SetLevel(logrus.WarnLevel)
	api, err := url.Parse(*apiserver)
	if err != nil || api.Host == "" {
		log.Fatalf("-apiserver must be a URL: %q", *apiserver)
	}
	switch *role {
	case "server":
		serve(*listen, api, *caFile, *tokenFile, *tlsCertOut)
	case "client":
		dial(*connect, api.Host, *serverCA)
	default:
		log.Fatalf("-role must be server or client")
	}
}

func serve(listen string, api *url.URL, caFile, tokenFile, tlsCertOut string) {
	tunnels := remotedialer.New(func(req *http.Request) (string, bool, error) {
		return clientKey, req.Header.Get("x-tunnel-id") == clientKey, nil
	}, remotedialer.DefaultErrorWriter)
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(caFile)
	if err != nil || !pool.AppendCertsFromPEM(ca) {
		log.Fatalf("cannot read the CA %q: %v", caFile, err)
	}
	token, err := os.ReadFile(tokenFile)
	if err != nil {
		log.Fatalf("cannot read the token: %v", err)
	}
	bearer := "Bearer " + strings.TrimSpace(string(token))
	dialer := tunnels.Dialer(clientKey)
	transport := &http.Transport{
		DialContext:     func(ctx context.Context, network, addr string) (net.Conn, error) { return dialer(ctx, network, addr) },
		TLSClientConfig: &tls.Config{RootCAs: pool},
		// HTTP/1.1 to the API server through the tunnel: over HTTP/2 a 36 MB LIST stalled after ~8 MB
		// (remotedialer's pause/resume beside HTTP/2's own flow control on one connection).
		ForceAttemptHTTP2: false,
		// The bytes a client asked for, as Tether's agent passes them: no gzip added (and undone) by the transport,
		// which would shrink what crosses the tunnel and make the comparison unfair.
		DisableCompression:  true,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
	proxy := httputil.NewSingleHostReverseProxy(api)
	proxy.Transport = transport
	proxy.FlushInterval = -1 // watches: every write at once
	direct := proxy.Director
	proxy.Director = func(req *http.Request) {
		direct(req)
		req.Header.Set("Authorization", bearer)
	}
	mux := http.NewServeMux()
	mux.Handle("/connect", tunnels)
	mux.HandleFunc("/readyz-tunnel", func(w http.ResponseWriter, _ *http.Request) {
		if !tunnels.HasSession(clientKey) {
			http.Error(w, "no client connected", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	mux.Handle("/", proxy)
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		log.Fatalf("listen %s: %v", listen, err)
	}
	srv := &http.Server{Handler: mux}
	if tlsCertOut != "" {
		cert, err := selfSigned(tlsCertOut)
		if err != nil {
			log.Fatalf("cannot make a TLS certificate: %v", err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	// The bench reads the address from this line.
	os.Stdout.WriteString("listening on " + ln.Addr().String() + "\n")
	if srv.TLSConfig != nil {
		log.Fatal(srv.ServeTLS(ln, "", "")) // HTTP/2 and HTTP/1.1, as the API server and kas offer
	}
	log.Fatal(srv.Serve(ln))
}

// selfSigned makes an ECDSA P-256 certificate for 127.0.0.1 and writes it (PEM) to certOut for the bench to trust.
func selfSigned(certOut string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "remotedialer-peer"},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := os.WriteFile(certOut, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func dial(connect, apiHost, serverCA string) {
	headers := http.Header{"x-tunnel-id": []string{clientKey}}
	allow := func(proto, address string) bool { return proto == "tcp" && address == apiHost }
	var dialer *websocket.Dialer
	if serverCA != "" {
		pool := x509.NewCertPool()
		pem, err := os.ReadFile(serverCA)
		if err != nil || !pool.AppendCertsFromPEM(pem) {
			log.Fatalf("cannot read the server's certificate %q: %v", serverCA, err)
		}
		d := *websocket.DefaultDialer
		d.TLSClientConfig = &tls.Config{RootCAs: pool}
		dialer = &d
	}
	for {
		err := remotedialer.ClientConnect(context.Background(), connect, headers, dialer, allow, nil)
		if err != nil {
			log.Printf("tunnel ended: %v; connecting again", err)
		}
	}
}
