// s3server is the S3-compatible object store the drift integration tests read from: gofakes3's
// in-memory backend behind a plain HTTP listener. It prints its URL on the first line of stdout,
// so a harness can listen on port 0 and learn the port.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (port 0 picks a free port)")
	flag.Parse()
	faker := gofakes3.New(s3mem.New())
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("s3server: %v", err)
	}
	fmt.Printf("http://%s\n", listener.Addr())
	log.Fatal(http.Serve(listener, faker.Server()))
}
