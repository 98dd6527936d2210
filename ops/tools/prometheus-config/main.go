// Command prometheus-config loads a Prometheus configuration as Prometheus 3.5 LTS itself loads it, with
// Kubernetes service discovery compiled in (Debian's promtool 2.42 is built without it and rejects
// kubernetes_sd_configs as an unknown field), and prints its scrape jobs. It contacts no cluster.
//
//	prometheus-config FILE
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/prometheus/prometheus/config"
	_ "github.com/prometheus/prometheus/discovery/kubernetes" // registers kubernetes_sd_configs
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: prometheus-config FILE")
		os.Exit(2)
	}
	cfg, err := config.LoadFile(os.Args[1], false, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(os.Stderr, "prometheus-config: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	jobs, err := cfg.GetScrapeConfigs()
	if err != nil {
		fmt.Fprintf(os.Stderr, "prometheus-config: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	for _, j := range jobs {
		fmt.Printf("prometheus-config: %s: job %s, %d service discoveries, oauth2 %v\n", os.Args[1], j.JobName,
			len(j.ServiceDiscoveryConfigs), j.HTTPClientConfig.OAuth2 != nil)
	}
}
