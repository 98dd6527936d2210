// compose-config loads a docker-compose file the way `docker compose config` does (compose-go: schema
// validation, ${VAR} interpolation from the environment and an env file, normalisation) and prints the
// result, without a Docker engine; like `docker compose up`, it refuses secrets and configs taken from unset
// variables. Used by .ci/run on ops/docker-compose.yml (ops/check-deploy.sh).
//
//	go run ./ops/tools/compose-config -env-file ops/compose.env.example ops/docker-compose.yml
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	envFile := flag.String("env-file", "", "an env file with the variables the compose file uses")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: compose-config [-env-file FILE] docker-compose.yml")
		os.Exit(2)
	}
	file, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	opts := []cli.ProjectOptionsFn{cli.WithOsEnv, cli.WithConsistency(true), cli.WithResolvedPaths(true)}
	if *envFile != "" {
		opts = append(opts, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	options, err := cli.NewProjectOptions([]string{file}, opts...)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	// `docker compose up` refuses a secret or config whose source is an unset variable ("environment variable %q
	// required by secret %q is not set"); compose-go's loader leaves that to up, so check it here as up would.
	for name, secret := range project.Secrets {
		if _, set := project.Environment[secret.Environment]; secret.Environment != "" && !set {
			fail(fmt.Errorf("environment variable %q required by secret %q is not set", secret.Environment, name))
		}
	}
	for name, config := range project.Configs {
		if _, set := project.Environment[config.Environment]; config.Environment != "" && !set {
			fail(fmt.Errorf("environment variable %q required by config %q is not set", config.Environment, name))
		}
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-config:", err)
	os.Exit(1)
}
