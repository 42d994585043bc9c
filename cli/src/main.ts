import { version } from '../package.json';
import { EXIT } from './command';
import { COMMANDS } from './commands';
import { err, Failure, out, UsageError } from './io';

const NAME_WIDTH = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;

const USAGE = `Usage: convhooks <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(NAME_WIDTH)}${command.summary}`)
  .join('\n')}

Flags:
  -h, --help     show help for convhooks or a command
  -v, --version  print the version

Run 'convhooks help <command>' (or 'convhooks <command> --help') for a command's options.`;

const commandNamed = (name: string) => (Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined);

/** `help`, `help <command>`, `--help`, `--version`: the answers that need no command to run. */
function answerWithoutCommand(argv: readonly string[]): number | undefined {
  const [name, topic] = argv;
  if (name === '--version' || name === '-v') {
    out(`convhooks version ${version}`);
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && topic === undefined)) {
    out(USAGE);
    return EXIT.ok;
  }
  if (name !== 'help' || topic === undefined) return undefined;
  const command = commandNamed(topic);
  if (command === undefined) {
    err(`convhooks help: unknown command "${topic}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  out(command.help);
  return EXIT.ok;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    err(USAGE);
    return EXIT.usage;
  }
  const answered = answerWithoutCommand(argv);
  if (answered !== undefined) return answered;
  const command = commandNamed(name);
  if (command === undefined) {
    err(`convhooks: unknown command "${name}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`convhooks ${name}: ${error.message}\nRun 'convhooks help ${name}' for usage.`);
      return EXIT.usage;
    }
    if (error instanceof Failure) {
      err(`convhooks ${name}: ${error.message}`);
      return EXIT.rejected;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      err(`convhooks ${name}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
