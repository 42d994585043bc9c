import { konver } from '../../../shared/vendors';
import { zapierApp } from '../../src';
import { version } from './package.json';

export = zapierApp(konver, version);
