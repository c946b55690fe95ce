/**
 * The programs' command line on picocli, layered over SmallRye Config: a flag beats its environment
 * variable, which beats {@code application.properties}, which beats the mapping's default. Every
 * flag is read as text into its configuration property; SmallRye converts it with the same rules as
 * the variable, and {@link org.ollamaairgap.app.cli.EffectiveConfig#mapping} words a refusal as
 * {@code --mode (VERIFIER_MODE): 'fast' is not one of: full, size}.
 *
 * <h2>How a program uses it</h2>
 *
 * <ol>
 *   <li>List its options as {@link org.ollamaairgap.app.cli.Setting}s (flag, property, variable)
 *       and build its {@link org.ollamaairgap.app.cli.Command}; one {@link
 *       org.ollamaairgap.app.cli.Cli} per program, e.g. {@code VerifierCommand.CLI}.
 *   <li>In {@code main}, before {@code Quarkus.run}: {@link org.ollamaairgap.app.cli.Preflight}
 *       answers {@code --help} and {@code --version} and refuses bad usage (exit 2) without
 *       starting Quarkus or binding a port. Its check maps the configuration and runs every check
 *       that needs no running application (ranges, model names).
 *   <li>In {@code run(args)}: parse again ({@link org.ollamaairgap.app.cli.Cli#parse}) and map with
 *       {@link org.ollamaairgap.app.cli.EffectiveConfig#over} Quarkus' own sources; the result
 *       cannot disagree with the check before start-up.
 * </ol>
 *
 * <h2>Adding a subcommand ({@code stager export}, {@code verifier watch})</h2>
 *
 * <ol>
 *   <li>Add its new properties to the program's {@code @ConfigMapping} (its one owner of types and
 *       defaults) and its new options as {@code Setting}s beside the others; reuse the existing
 *       {@code Setting} constants for options it shares ({@code --models-dir}).
 *   <li>Build it as {@code Command.of("export", "what it does", List.of(MODELS_DIR, TO, ...))},
 *       with {@code .withPositional(...)} if it takes names, and add it to the program's command
 *       with {@code .withSubcommand(export)}. Options go after the subcommand's name: {@code stager
 *       export --models-dir DIR}; {@code stager export --help} shows only its own.
 *   <li>Dispatch on {@link org.ollamaairgap.app.cli.Invocation#command()} (or {@code
 *       commandName()}, {@code "stager export"}) in {@code run(args)}; the bare program keeps its
 *       behaviour. {@code Invocation.flags()} holds the flags of every level of the path.
 *   <li>Test it as {@code CliTest} and {@code EffectiveConfigTest} do: the flags it takes, a
 *       refusal, and its help.
 * </ol>
 */
package org.ollamaairgap.app.cli;
