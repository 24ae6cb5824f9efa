import t from 'tap'
import { loadConfig, ConfigError } from '../../src/config.ts'

t.test('when PORT is not a number, then the error names PORT', async (t) => {
  t.throws(() => loadConfig({ PORT: 'abc' }), { name: 'ConfigError', problems: ['PORT must be a port number (1-65535)'] })
})
