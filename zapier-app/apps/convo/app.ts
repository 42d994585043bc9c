import { convo } from '../../../shared/vendors';
import { zapierApp } from '../../src';
import { version } from './package.json';

export = zapierApp(convo, version);
