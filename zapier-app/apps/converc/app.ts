import { converc } from '../../../shared/vendors';
import { zapierApp } from '../../src';
import { version } from './package.json';

export = zapierApp(converc, version);
